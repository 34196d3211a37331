import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

/**
 * The longest /readyz waits for the database. A load balancer probes every few seconds with a
 * timeout of its own; an answer after that is as good as none, and a hanging probe would hide an
 * outage behind the balancer's timeout instead of reporting it.
 */
export const READY_TIMEOUT_MS = 1_000;

class ProbeTimeout extends Error {
  constructor() {
    super(`no answer within ${READY_TIMEOUT_MS} ms`);
  }
}

/** Resolves with the work's result, or rejects with ProbeTimeout once the time is up. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), ms).unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * /healthz: the process answers (a liveness probe: restart it when this fails).
 * /readyz: the database answers within READY_TIMEOUT_MS (a readiness probe: send it no traffic
 * while this fails; it recovers by itself when the database does, no restart needed).
 * /metrics: Prometheus text.
 */
export function registerHealthRoutes(app: FastifyInstance, orm: MikroORM, metrics: Metrics): void {
  let databaseUp = true;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      await within(orm.em.getConnection('write').execute('select 1'), READY_TIMEOUT_MS);
      if (!databaseUp) app.log.warn('database reachable again: ready');
      databaseUp = true;
      return { status: 'ready', database: 'up' };
    } catch (err) {
      // Logged once per outage, not once per probe.
      if (databaseUp) app.log.error({ err: (err as Error).message }, 'database unreachable: not ready');
      databaseUp = false;
      return reply.code(503).send({ status: 'unavailable', database: 'down' });
    }
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
