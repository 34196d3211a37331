import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from '../../src/auth/passwords';
import { ormConfig } from '../../src/db/orm-config';
import { ensureDefaultCreditModel } from '../../src/services/credit-model.service';
import { evaluateEnterprises } from '../../src/services/credit/evaluator';
import { shanghaiDate } from '../../src/services/time';
import { generateDataset, type DatasetStats } from './dataset';
import { createDatabase, dropDatabase, withClient, withDatabase } from './server';
import {
  BANK_ID_SQL,
  DEPARTMENT_ID_SQL,
  ENTERPRISE_ID_SQL,
  generateMarket,
  type MarketStats,
} from './workload-dataset';

// The workloads' dataset (issue 8): the credit dataset (enterprises and records), the marketplace
// around it, credit reports from the application's own evaluator, the statistics rollup compacted,
// and the three users the workloads sign in as. Kept in a database named after the size, so
// `npm run bench:data` once serves every later `npm run bench` of the same size and day.

export type SizeName = 'S' | 'M' | 'L';

export interface SizeSpec {
  enterprises: number;
  records: number;
  institutions: number;
  products: number;
  demands: number;
  loans: number;
  policies: number;
}

export const SIZES: Record<SizeName, SizeSpec> = {
  S: {
    enterprises: 1_000,
    records: 20_000,
    institutions: 10,
    products: 100,
    demands: 2_000,
    loans: 1_000,
    policies: 20,
  },
  M: {
    enterprises: 100_000,
    records: 2_000_000,
    institutions: 50,
    products: 500,
    demands: 200_000,
    loans: 100_000,
    policies: 50,
  },
  L: {
    enterprises: 100_000,
    records: 20_000_000,
    institutions: 50,
    products: 500,
    demands: 200_000,
    loans: 1_000_000,
    policies: 50,
  },
};

export function parseSize(raw: string | undefined): SizeName {
  const size = (raw ?? 'S').toUpperCase();
  if (size !== 'S' && size !== 'M' && size !== 'L') throw new Error('--size must be S, M or L');
  return size;
}

/** The workloads' users; the password is the bench's own, the users exist only in bench databases. */
export const BENCH_PASSWORD = 'bench-password-2026';
export const BENCH_LOGINS = { bank: 'bench-bank', enterprise: 'bench-enterprise', regulator: 'bench-regulator' };

export interface Generation {
  size: SizeName;
  spec: SizeSpec;
  today: string;
  generatedAt: string;
  /** Seconds per step: enterprises, records, each marketplace table, evaluation, compaction, vacuum. */
  seconds: Record<string, number>;
  totalSeconds: number;
  counts: Record<string, number>;
  grades: Record<string, number>;
}

export interface PreparedDataset {
  database: string;
  url: string;
  generation: Generation;
  reused: boolean;
}

const ROLLUP_ENTERPRISE_TRIGGER = 'statistics_enterprise_update';

export const datasetDatabase = (size: SizeName) => `cel_bench_workloads_${size.toLowerCase()}`;

async function readGeneration(url: string): Promise<Generation | null> {
  try {
    return await withClient(url, async (c) => {
      const { rows } = await c.query<{ generation: Generation }>('select generation from bench_dataset');
      return rows[0]?.generation ?? null;
    });
  } catch {
    return null; // no such database, or not one of ours
  }
}

/**
 * The dataset of `size` on the server: reused when a database of that size generated today is
 * there (and `fresh` is not asked), else generated.
 */
export async function prepareDataset(
  serverUrl: string,
  size: SizeName,
  options: { fresh: boolean; log: (message: string) => void },
): Promise<PreparedDataset> {
  const database = datasetDatabase(size);
  const url = withDatabase(serverUrl, database);
  const now = new Date();
  const today = shanghaiDate(now);
  if (!options.fresh) {
    const existing = await readGeneration(url);
    if (existing && existing.size === size && existing.today === today) {
      options.log(`reusing ${database} (size ${size}, generated ${existing.generatedAt})`);
      // The code under test may bring migrations the dataset predates (new tables, indexes).
      const orm = await MikroORM.init(ormConfig({ url, poolMax: 1 }));
      try {
        const applied = await orm.getMigrator().up();
        if (applied.length) options.log(`applied ${applied.map((m) => m.name).join(', ')}`);
      } finally {
        await orm.close();
      }
      return { database, url, generation: existing, reused: true };
    }
  }
  try {
    const generation = await generate(serverUrl, database, size, now, options.log);
    return { database, url, generation, reused: false };
  } catch (err) {
    await dropDatabase(serverUrl, database).catch(() => undefined);
    throw err;
  }
}

async function generate(
  serverUrl: string,
  database: string,
  size: SizeName,
  now: Date,
  log: (message: string) => void,
): Promise<Generation> {
  const spec = SIZES[size];
  const today = shanghaiDate(now);
  const seconds: Record<string, number> = {};
  const started = performance.now();
  log(`creating ${database} for size ${size}: ${JSON.stringify(spec)}`);
  const url = await createDatabase(serverUrl, database);
  const orm = await MikroORM.init(ormConfig({ url, poolMax: 2 }));
  try {
    let t = performance.now();
    await orm.getMigrator().up();
    await ensureDefaultCreditModel(orm.em.fork(), now);
    seconds.migrate = (performance.now() - t) / 1000;

    log(`enterprises and credit records (${spec.records.toLocaleString('en-US')})`);
    const credit: DatasetStats = await withClient(url, (c) =>
      generateDataset(c, { enterprises: spec.enterprises, records: spec.records, today, now }),
    );
    seconds.enterprises = credit.enterpriseSeconds;
    seconds.records = credit.recordSeconds;
    log(`  enterprises ${credit.enterpriseSeconds.toFixed(1)} s, records ${credit.recordSeconds.toFixed(1)} s`);

    log('the marketplace');
    const market: MarketStats = await withClient(url, (c) => generateMarket(c, { ...spec, today }, log));
    Object.assign(seconds, market.seconds);

    log('credit reports: the application evaluator over every enterprise');
    t = performance.now();
    await orm.em.fork().transactional(async (em) => {
      // The evaluator never moves an enterprise to another region or industry, all that the
      // rollup's enterprise trigger looks for; yet the trigger scans loans, demands and offers on
      // every update (about 3 s per batch of 1,000 at size M: bench/README.md). Off while it runs.
      await em.execute(`alter table enterprise disable trigger ${ROLLUP_ENTERPRISE_TRIGGER}`);
      await evaluateEnterprises(em, 'all', now);
      await em.execute(`alter table enterprise enable trigger ${ROLLUP_ENTERPRISE_TRIGGER}`);
    });
    seconds.evaluation = (performance.now() - t) / 1000;
    log(`  evaluation ${seconds.evaluation.toFixed(1)} s`);

    const { counts, grades } = await withClient(url, async (c) => {
      t = performance.now();
      await c.query('select statistics_compact()');
      seconds.rollup = (performance.now() - t) / 1000;
      await createUsers(c);
      t = performance.now();
      await c.query('vacuum analyze');
      seconds.vacuumAnalyze = (performance.now() - t) / 1000;
      const count = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
      const { rows } = await c.query<{ g: string | null; n: string }>(
        'select credit_grade as g, count(*) as n from enterprise group by 1 order by 1',
      );
      return {
        counts: {
          enterprise: await count('select count(*) as n from enterprise'),
          credit_record: await count('select count(*) as n from credit_record'),
          credit_report: await count('select count(*) as n from credit_report'),
          ...market.counts,
        },
        grades: Object.fromEntries(rows.map((r) => [r.g ?? 'none', Number(r.n)])),
      };
    });
    const generation: Generation = {
      size,
      spec,
      today,
      generatedAt: now.toISOString(),
      seconds,
      totalSeconds: (performance.now() - started) / 1000,
      counts,
      grades,
    };
    await withClient(url, async (c) => {
      await c.query('create table bench_dataset (generation jsonb not null)');
      await c.query('insert into bench_dataset values ($1)', [JSON.stringify(generation)]);
    });
    return generation;
  } finally {
    await orm.close();
  }
}

async function createUsers(c: import('pg').Client): Promise<void> {
  const hash = await hashPassword(BENCH_PASSWORD);
  await c.query(
    `insert into app_user (id, created_at, login, password_hash, display_name, role, enterprise_id, institution_id,
                           department_id)
     values (md5('cel-bench-user:bank')::uuid, now(), $1, $4, '基准银行用户', 'BANK', null, ${BANK_ID_SQL}, null),
            (md5('cel-bench-user:enterprise')::uuid, now(), $2, $4, '基准企业用户', 'ENTERPRISE', ${ENTERPRISE_ID_SQL}, null, null),
            (md5('cel-bench-user:regulator')::uuid, now(), $3, $4, '基准监管用户', 'REGULATOR', null, null, ${DEPARTMENT_ID_SQL})`,
    [BENCH_LOGINS.bank, BENCH_LOGINS.enterprise, BENCH_LOGINS.regulator, hash],
  );
}

/** Signs a bench user in through the login mutation; the access token. */
export async function signIn(graphqlUrl: string, login: string): Promise<string> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation SignIn($input: LoginInput!) { login(input: $input) { accessToken userErrors { message } } }',
      variables: { input: { login, password: BENCH_PASSWORD } },
    }),
  });
  const body = (await res.json()) as { data?: { login?: { accessToken?: string | null } } };
  const token = body.data?.login?.accessToken;
  if (!token) throw new Error(`sign-in of ${login} failed: ${JSON.stringify(body)}`);
  return token;
}
