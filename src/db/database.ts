import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { ormConfig } from './orm-config';

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects (starting the embedded PostgreSQL when no DATABASE_URL is given) and migrates. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info({ dir: config.dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(`${config.dataDir}/pg`, logger);
    url = embedded.url;
  }
  const orm = await MikroORM.init(ormConfig({ url, poolMax: config.databasePoolMax }));
  try {
    const applied = await orm.getMigrator().up();
    if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } catch (err) {
    await orm.close();
    await embedded?.stop();
    throw err;
  }
  return {
    orm,
    url,
    embedded: Boolean(embedded),
    async close() {
      await orm.close();
      await embedded?.stop();
    },
  };
}
