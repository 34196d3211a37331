import { Client } from 'pg';

/**
 * A maintenance connection for statements that cannot run in a transaction or a pool
 * (CREATE/DROP DATABASE), used by the test setup and the benchmarks.
 */
export async function withAdminClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The same server URL, pointing at another database. */
export function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
