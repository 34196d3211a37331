import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './db/seed/demo';
import { createLogger } from './logger';
import { createApp } from './server/app';
import { ensureAdmin } from './services/bootstrap';
import { ensureDefaultCreditModel } from './services/credit-model.service';

const SHUTDOWN_GRACE_MS = 30_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  if (config.admin) await ensureAdmin(db.orm.em.fork(), config.admin, logger);
  await ensureDefaultCreditModel(db.orm.em.fork());
  if (config.seedDemo) await seedDemo(db.orm.em.fork(), logger);

  const app = await createApp({ config, orm: db.orm, logger });
  const address = await app.listen();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
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
