import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl as withDatabase, withAdminClient as withClient } from '../../src/db/admin-client';
import { startEmbeddedPostgres } from '../../src/db/embedded';

/** A PostgreSQL server to run on: the one given, or an embedded one that lives as long as the run. */
export interface BenchServer {
  /** A maintenance connection URL (CREATE / DROP DATABASE run there). */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function openServer(databaseUrl: string | undefined): Promise<BenchServer> {
  if (databaseUrl) return { url: databaseUrl, embedded: false, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'cel-bench-pg-'));
  // As root, PostgreSQL runs as its own OS user, which must be able to reach the data directory.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  try {
    const db = await startEmbeddedPostgres(join(dir, 'pg'), undefined, { ephemeral: true });
    return {
      url: db.url,
      embedded: true,
      async stop() {
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export { withClient, withDatabase };

/** Database names are generated here (cel_bench_<pid>), never taken from input: safe to interpolate. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function serverVersion(url: string): Promise<string> {
  return withClient(
    url,
    async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v,
  );
}
