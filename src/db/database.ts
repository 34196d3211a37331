import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config';
import { withAdminClient } from './admin-client';
import { MIGRATIONS } from './migrations';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { ormConfig, type SessionLimits } from './orm-config';

/**
 * A serving process's sessions: no statement may hold a connection (and its locks) for longer than
 * any client would wait for it, and a transaction abandoned mid-way is ended by PostgreSQL.
 */
export const SERVING_LIMITS: SessionLimits = { statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000 };

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  /**
   * Reconnects the pool as the serving role (src/db/row-security.ts): from here on every session
   * is under row-level security. The server calls it once its start-up work (migrations, first
   * admin, demo data) is done, which runs as the connecting role with the SYSTEM scope.
   */
  useServingRole(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** false: the read-only checks refuse an unmigrated database instead of changing it. */
  migrate?: boolean;
  /** The server's session limits (SERVING_LIMITS); the command-line tools run without them. */
  limits?: SessionLimits;
  /** Read replicas for reads outside transactions (docs/deployment.md). */
  replicaUrls?: string[];
}

/**
 * Opens DATABASE_URL (or starts the embedded PostgreSQL) and applies pending migrations, unless
 * `migrate: false`. Waiting for a connection is bounded by DATABASE_ACQUIRE_TIMEOUT_MS.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  { migrate = true, limits, replicaUrls }: OpenDatabaseOptions = {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info({ dir: config.dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(`${config.dataDir}/pg`, logger);
    url = embedded.url;
  }
  const options = {
    url,
    poolMax: config.databasePoolMax,
    acquireTimeoutMs: config.databaseAcquireTimeoutMs,
    limits,
    replicaUrls,
  };
  const orm = await MikroORM.init(ormConfig(options));
  try {
    if (!migrate) {
      await assertMigrated(orm);
    } else {
      const applied = await withStartupLock(url, () => migrateUnlimited(orm));
      if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    }
  } catch (err) {
    await orm.close();
    await embedded?.stop();
    throw err;
  }
  return {
    orm,
    url,
    embedded: Boolean(embedded),
    async useServingRole() {
      await orm.reconnect({ pool: ormConfig({ ...options, session: 'serving' }).pool });
    },
    async close() {
      await orm.close();
      await embedded?.stop();
    },
  };
}

/** Any 64-bit number no other application takes on the same database. */
const STARTUP_LOCK = '7210428113';

/**
 * Runs start-up work (migrations, bootstrap rows) with every other instance's start-up excluded:
 * instances started together by a deployment would otherwise apply the same migration or insert
 * the same first row twice. The lock is held on a connection of its own, outside the pool (a
 * pool of one must still serve the work), and ends with that session if the process dies.
 */
export async function withStartupLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  return withAdminClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  });
}

/**
 * Applies pending migrations in one transaction free of the serving session limits: building an
 * index on a large table may rightly take longer than any request may.
 */
async function migrateUnlimited(orm: MikroORM) {
  const conn = orm.em.getConnection();
  return conn.transactional(async (trx) => {
    await conn.execute('SET LOCAL statement_timeout = 0', [], 'run', trx);
    await conn.execute('SET LOCAL idle_in_transaction_session_timeout = 0', [], 'run', trx);
    return orm.getMigrator().up({ transaction: trx });
  });
}

/** Throws unless every migration has been applied; reads only (no migrations table is created). */
async function assertMigrated(orm: MikroORM): Promise<void> {
  const conn = orm.em.getConnection();
  const [table] = await conn.execute<{ present: boolean }[]>(
    `select to_regclass('mikro_orm_migrations') is not null as present`,
  );
  const applied = new Set(
    table.present
      ? (await conn.execute<{ name: string }[]>('select name from mikro_orm_migrations')).map((row) => row.name)
      : [],
  );
  const pending = MIGRATIONS.filter((m) => !applied.has(m.name)).map((m) => m.name);
  if (pending.length) {
    throw new ConfigError(
      `the database is not migrated (pending: ${pending.join(', ')}); run npm run db:migrate first`,
    );
  }
}
