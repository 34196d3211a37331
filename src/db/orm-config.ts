import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from './migrations';
import { APP_ROLE } from './row-security';
import { countSqlStatement } from './sql-counter';

/** Server-side limits on a serving process's sessions (docs/deployment.md, "Database"). */
export interface SessionLimits {
  /** A statement running longer is cancelled by PostgreSQL (statement_timeout). */
  statementTimeoutMs: number;
  /** A transaction left idle this long (a client that stopped mid-way) is ended, freeing its locks. */
  idleInTransactionTimeoutMs: number;
}

export interface OrmOptions {
  url: string;
  poolMax?: number;
  /**
   * How long a query waits for a pooled connection, and a new connection for its handshake,
   * before failing: an exhausted pool or an unreachable database gives an error, never a hang.
   */
  acquireTimeoutMs?: number;
  /** Unset for migrations and the command-line tools, whose statements may rightly run long. */
  limits?: SessionLimits;
  /** Read replicas: MikroORM sends reads made outside a transaction to them, writes to `url`. */
  replicaUrls?: string[];
  /** Shown in pg_stat_activity, so an operator (or a test) can tell the server's sessions apart. */
  applicationName?: string;
  /**
   * `serving`: every session runs as APP_ROLE, under row-level security, and sees nothing of the
   * secured tables until a transaction states its viewer (src/db/row-security.ts). `system`
   * (migrations, start-up work, the command-line tools): the connecting role, with the policies
   * told SYSTEM for the whole session.
   */
  session?: 'serving' | 'system';
}

type PgConnection = { query(sql: string, cb: (err: Error | null) => void): void };

export function ormConfig({
  url,
  poolMax = 10,
  acquireTimeoutMs = 10_000,
  limits,
  replicaUrls = [],
  applicationName = 'credit-easy-loan',
  session = 'system',
}: OrmOptions): Options {
  // Dates and "today" are Asia/Shanghai, in SQL (current_date, ::date) as in the application.
  // One round trip per new connection: the simple protocol runs the statements together.
  const statements = ["SET TIME ZONE 'Asia/Shanghai'"];
  statements.push(session === 'serving' ? `SET ROLE ${APP_ROLE}` : "SET app.viewer_role = 'SYSTEM'");
  if (limits) {
    statements.push(
      `SET statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`,
      `SET idle_in_transaction_session_timeout = ${Math.trunc(limits.idleInTransactionTimeoutMs)}`,
    );
  }
  const sessionSql = statements.join('; ');
  return defineConfig({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator],
    // Entities are listed explicitly and typed in their decorators; no folder scanning.
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    replicas: replicaUrls.map((clientUrl, i) => ({ name: `replica-${i + 1}`, clientUrl })),
    pool: {
      min: 0,
      max: poolMax,
      acquireTimeoutMillis: acquireTimeoutMs,
      // A connection attempt that hangs (a black-holed network) must not outlive the wait for it.
      createTimeoutMillis: acquireTimeoutMs,
      afterCreate: (conn: PgConnection, done: (err: Error | null) => void) => conn.query(sessionSql, done),
    },
    driverOptions: {
      connection: {
        application_name: applicationName,
        connectionTimeoutMillis: acquireTimeoutMs,
        // Finds a peer that vanished without closing the connection (a failed-over primary).
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      },
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
