import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Client-chosen operation names become labels; cap them so a client cannot explode cardinality. */
const MAX_OPERATION_NAMES = 200;

export class Metrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation name',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(orm?: MikroORM) {
    collectDefaultMetrics({ register: this.registry });
    if (orm) this.watchPool(orm);
  }

  /** Records every GraphQL request when its response is sent. */
  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operationName, operation, errors }) => {
            const labels = { operation: this.label(operationName), type: operation?.operation ?? 'unknown' };
            this.requests.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
            this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }

  private label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  private watchPool(orm: MikroORM) {
    // knex's tarn pool, read at scrape time.
    const pool = () =>
      (orm.em.getKnex().client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } })
        .pool;
    const gauge = (name: string, help: string, read: (p: NonNullable<ReturnType<typeof pool>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          this.set(p ? read(p) : 0);
        },
      });
    gauge('db_pool_connections_used', 'Database connections in use', (p) => p.numUsed());
    gauge('db_pool_connections_free', 'Idle database connections', (p) => p.numFree());
    gauge('db_pool_acquires_pending', 'Requests waiting for a database connection', (p) => p.numPendingAcquires());
  }
}
