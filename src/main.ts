import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase, SERVING_LIMITS, withStartupLock } from './db/database';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './db/seed/demo';
import { createLogger } from './logger';
import { createApp } from './server/app';
import { RedisEventBus } from './server/redis-event-bus';
import { ensureAdmin } from './services/bootstrap';
import { ensureDefaultCreditModel } from './services/credit-model.service';

/** How long start-up waits for the Redis event subscription before serving without it. */
const EVENT_BUS_JOIN_MS = 3_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger, { limits: SERVING_LIMITS, replicaUrls: config.databaseReplicaUrls });
  // Each step checks before it writes; the lock keeps instances started together from both
  // finding nothing and both writing.
  await withStartupLock(db.url, async () => {
    if (config.admin) await ensureAdmin(db.orm.em.fork(), config.admin, logger);
    await ensureDefaultCreditModel(db.orm.em.fork());
    if (config.seedDemo) await seedDemo(db.orm.em.fork(), logger);
  });
  if (config.rowSecurity !== false) await db.useServingRole();

  const app = await createApp({ config, orm: db.orm, logger });

  // Join the other instances' events before taking traffic, so a subscription made on this
  // instance hears every event published after it; a Redis that is away must not block start-up.
  if (app.events instanceof RedisEventBus) {
    const joined = await Promise.race([
      app.events.ready().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), EVENT_BUS_JOIN_MS).unref()),
    ]);
    if (!joined) logger.warn('serving before the Redis event subscription is confirmed');
  }

  const address = await app.listen();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: refusing new requests, finishing in-flight ones');
    // In-flight work gets shutdownTimeoutMs; after that the process stops anyway (exit 1) rather
    // than hang a rolling deployment. Uncommitted work is rolled back by PostgreSQL.
    const force = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      await app.close();
      await db.close();
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // A promise nobody awaited that failed (a connection dropped mid-flight) is a bug to log, not a
  // reason to drop every other request in flight; the server keeps serving.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection');
  });

  const url = `${address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost')}/graphql`;
  const lines = [`信易贷 GraphQL API: ${url} (open it in a browser for the IDE)`];
  if (config.seedDemo) {
    lines.push(`Demo logins (password ${DEMO_PASSWORD}):`);
    for (const d of DEMO_LOGINS) lines.push(`  ${d.login.padEnd(16)} ${d.role.padEnd(10)} ${d.who}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
