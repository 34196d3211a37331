import { withAdminClient } from './db';

export default async function globalTeardown() {
  const baseUrl = process.env.TEST_DATABASE_BASE_URL;
  if (baseUrl && !globalThis.__EMBEDDED_PG__) {
    // On a shared server, leave nothing behind: the template and any file database left by a crash.
    await withAdminClient(baseUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
        [`cel_tpl_${process.pid}`, `cel_t_${process.pid}_%`],
      );
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
  }
  await globalThis.__EMBEDDED_PG__?.stop();
}
