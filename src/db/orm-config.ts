import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from './migrations';
import { countSqlStatement } from './sql-counter';

export interface OrmOptions {
  url: string;
  poolMax?: number;
}

export function ormConfig({ url, poolMax = 10 }: OrmOptions): Options {
  return defineConfig({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator],
    // Entities are listed explicitly and typed in their decorators; no folder scanning.
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    pool: {
      min: 0,
      max: poolMax,
      acquireTimeoutMillis: 10_000,
      // Dates and "today" are Asia/Shanghai, in SQL (current_date, ::date) as in the application.
      afterCreate: (
        conn: { query(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null) => void,
      ) => conn.query("SET TIME ZONE 'Asia/Shanghai'", done),
    },
    // The query logger is the hook that counts statements per request; its text goes nowhere.
    debug: ['query'],
    logger: () => countSqlStatement(),
    allowGlobalContext: false,
    ensureDatabase: false,
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
    },
  });
}
