import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from './database';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
