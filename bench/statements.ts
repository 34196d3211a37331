import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { ormConfig } from '../src/db/orm-config';
import { createLogger } from '../src/logger';
import { createApp } from '../src/server/app';
import { BENCH_LOGINS, BENCH_PASSWORD, datasetDatabase, parseSize } from './lib/bench-dataset';
import { benchConfig } from './lib/bench-config';
import { withDatabase } from './lib/server';
import { WORKLOADS, type GraphQLBody, type Workload } from './workloads';

// Where a workload's request spends its database time: the statements the application runs for
// one request (knex's `query` events, in order), each then timed alone on PostgreSQL (median of 5)
// with the rows it returns. Needs the dataset (npm run bench:data). See bench/README.md.
//
//   node -r @swc-node/register bench/statements.ts W3 --size M [--explain]

const USAGE = `node -r @swc-node/register bench/statements.ts W1|W2|W3|W4 [--size S|M|L] [--case N] [--explain]`;

interface Captured {
  sql: string;
  bindings: unknown[];
}

const placeholders = (sql: string) => {
  if (/\$\d/.test(sql)) return sql;
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      case: { type: 'string', default: '0' },
      explain: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const workload: Workload | undefined = WORKLOADS[positionals[0]?.toUpperCase() as Workload['id']];
  if (values.help || !workload) return console.log(USAGE);
  const serverUrl = values['database-url'] || process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('set DATABASE_URL');
  const url = withDatabase(serverUrl, datasetDatabase(parseSize(values.size)));
  const c = workload.cases[Number(values.case)]!;

  const orm = await MikroORM.init(ormConfig({ url, poolMax: 4 }));
  const app = await createApp({ config: benchConfig(4), orm, logger: createLogger('warn') });
  const pool = new Pool({ connectionString: url, max: 1, options: '-c TimeZone=Asia/Shanghai' });
  try {
    const call = async (body: unknown, token?: string) => {
      const res = await app.fastify.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: JSON.stringify(body),
      });
      return { json: res.json() as GraphQLBody & { data?: any }, sql: res.headers['x-sql-statements'] };
    };
    let token: string | undefined;
    if (workload.principal) {
      const login = await call({
        query: 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
        variables: { input: { login: BENCH_LOGINS[workload.principal], password: BENCH_PASSWORD } },
      });
      token = login.json.data?.login?.accessToken;
    }
    const request = { operationName: workload.operationName, query: workload.document, variables: c.variables };
    await call(request, token); // warm: the ORM's metadata and PostgreSQL's caches
    const captured: Captured[] = [];
    const knex = orm.em.getKnex();
    const listener = (q: { sql: string; bindings?: unknown[] }) =>
      captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
    knex.on('query', listener);
    const started = performance.now();
    const answer = await call(request, token);
    const wall = performance.now() - started;
    knex.off('query', listener);
    const problems = workload.check(answer.json, c.variables);
    console.log(
      `${c.label}: ${wall.toFixed(1)} ms in-process, x-sql-statements ${answer.sql}, ${problems.length ? problems.join('; ') : 'answer checked'}`,
    );

    let total = 0;
    for (const [i, q] of captured.entries()) {
      const text = placeholders(q.sql);
      const oneLine = q.sql.replace(/\s+/g, ' ').trim();
      if (!/^(select|with)/i.test(oneLine)) {
        console.log(`${String(i + 1).padStart(2)}.        –          ${oneLine.slice(0, 140)}`);
        continue;
      }
      const times: number[] = [];
      let rows = 0;
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        const result = await pool.query(text, q.bindings);
        times.push(performance.now() - t);
        rows = result.rowCount ?? 0;
      }
      const median = times.sort((a, b) => a - b)[2]!;
      total += median;
      console.log(
        `${String(i + 1).padStart(2)}. ${median.toFixed(2).padStart(8)} ms ${String(rows).padStart(6)} rows  ${oneLine.slice(0, 140)}`,
      );
      if (values.explain && median > 5) {
        const plan = await pool.query(`explain (analyze, buffers) ${text}`, q.bindings);
        for (const line of plan.rows) console.log(`      ${(line as Record<string, string>)['QUERY PLAN']}`);
      }
    }
    console.log(`PostgreSQL alone, statements one after another: ${total.toFixed(1)} ms`);
  } finally {
    await pool.end();
    await app.close();
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
