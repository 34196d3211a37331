import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { serveUsage } from '../lib/child';
import { floorStatement } from './queries';

// The floor of W1 and W2: a bare node:http server that answers the workloads' requests with one
// hand-written statement whose result is the response body, built by PostgreSQL. No GraphQL, no
// ORM, no authentication (W1's bank is the bench bank): what is left is HTTP, one round trip to
// PostgreSQL and the query itself. Started by bench/run.ts on BENCH_DATABASE_URL.

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is required');
const pool = new Pool({
  connectionString: url,
  max: Number(process.env.BENCH_POOL_MAX ?? 10),
  options: '-c TimeZone=Asia/Shanghai',
});

/** The statement for a request body, or null when it is not one of the floor's workloads. */
function parse(body: Buffer, bankId: string): ReturnType<typeof floorStatement> {
  try {
    const request = JSON.parse(body.toString('utf8')) as {
      operationName?: string;
      variables?: Record<string, unknown>;
    };
    return floorStatement(request.operationName, request.variables ?? {}, bankId);
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    "select institution_id as id from app_user where login = 'bench-bank'",
  );
  const bankId = rows[0]?.id;
  if (!bankId) throw new Error('no bench-bank user: run npm run bench:data first');

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-sql-statements': '1' });
        res.end(body);
      };
      const statement = parse(Buffer.concat(chunks), bankId);
      if (!statement) return reply(400, '{"errors":[{"message":"not a request the floor answers"}]}');
      pool.query<{ body: string }>(statement.text, statement.values).then(
        (result) => reply(200, result.rows[0]!.body),
        (err: Error) => reply(500, JSON.stringify({ errors: [{ message: err.message }] })),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveUsage((server.address() as AddressInfo).port, async () => {
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
