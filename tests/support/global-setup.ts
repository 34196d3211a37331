import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { databaseUrl, withAdminClient } from './db';

declare global {
  var __EMBEDDED_PG__: EmbeddedDatabase | undefined;
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set, otherwise an embedded one. A template
 * database is migrated once; every test file clones it (CREATE DATABASE … TEMPLATE), so files are
 * isolated and run in parallel.
 */
export default async function globalSetup() {
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'cel-test-pg-'));
    globalThis.__EMBEDDED_PG__ = await startEmbeddedPostgres(dir, undefined, { ephemeral: true });
    baseUrl = globalThis.__EMBEDDED_PG__.url;
  }
  const template = `cel_tpl_${process.pid}`;
  await withAdminClient(baseUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template}`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  // Migrate through the real CLI in a child process: loading the ORM here would leave its global
  // metadata in jest's parent realm, where the test files' own copies then clash with it.
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'src/db/migrate.cli.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(baseUrl, template), LOG_LEVEL: 'warn', SEED_DEMO: '0' },
    stdio: 'inherit',
  });
  process.env.TEST_DATABASE_BASE_URL = baseUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
}
