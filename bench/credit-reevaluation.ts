import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import { ormConfig } from '../src/db/orm-config';
import { runWithSqlCounter } from '../src/db/sql-counter';
import { ensureDefaultCreditModel } from '../src/services/credit-model.service';
import { EVALUATION_BATCH, evaluateEnterprises } from '../src/services/credit/evaluator';
import { shanghaiDate } from '../src/services/time';
import { measureCopyBaseline } from './lib/copy-baseline';
import { generateDataset } from './lib/dataset';
import { DEFAULT_ENTERPRISES, DEFAULT_RECORDS, USAGE, parseOptions, type BenchOptions } from './lib/options';
import { formatTable, machineInfo, writeResult, type BenchResult } from './lib/report';
import { createDatabase, dropDatabase, openServer, serverVersion, withClient } from './lib/server';

// Re-evaluating every enterprise (what activateCreditModel does), timed against the fastest way
// PostgreSQL moves the same rows: COPY out of the records it reads plus COPY in of the reports it
// writes, on the same database in the same run. See bench/README.md.

const log = (message: string) => console.log(`[bench] ${message}`);

function resultFile(options: BenchOptions, date: string): string {
  if (options.out) return options.out;
  const size =
    options.enterprises === DEFAULT_ENTERPRISES && options.records === DEFAULT_RECORDS
      ? ''
      : `-${options.enterprises}e-${options.records}r`;
  return join(__dirname, 'results', `${date}-credit-reevaluation${size}.json`);
}

async function countBy(url: string, sql: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ k: string | null; n: string }>(sql);
    return Object.fromEntries(rows.map((r) => [r.k ?? 'none', Number(r.n)]));
  });
}

async function run(options: BenchOptions): Promise<void> {
  const now = new Date();
  const asOf = shanghaiDate(now);
  const server = await openServer(options.databaseUrl);
  const name = `cel_bench_${process.pid}`;
  let orm: MikroORM | undefined;
  try {
    log(`${server.embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}: creating database ${name}`);
    const url = await createDatabase(server.url, name);
    const postgres = await serverVersion(url);
    orm = await MikroORM.init(ormConfig({ url, poolMax: 2 }));
    await orm.getMigrator().up();
    await ensureDefaultCreditModel(orm.em.fork(), now);

    log(
      `generating ${options.enterprises.toLocaleString()} enterprises and ${options.records.toLocaleString()} records`,
    );
    const generation = await withClient(url, (c) =>
      generateDataset(c, { enterprises: options.enterprises, records: options.records, today: asOf, now }),
    );
    log(`generated in ${generation.totalSeconds.toFixed(1)} s (not part of the measurement)`);

    log('evaluating every enterprise in one transaction');
    const counter = { statements: 0 };
    const ormForEval = orm;
    const started = performance.now();
    const reports = await runWithSqlCounter(counter, () =>
      ormForEval.em.fork().transactional((em) => evaluateEnterprises(em, 'all', now)),
    );
    const seconds = (performance.now() - started) / 1000;
    // maxRSS is the peak since the process started; taken before the baseline buffers anything.
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    log(`evaluated ${reports.size.toLocaleString()} enterprises in ${seconds.toFixed(1)} s`);
    if (reports.size !== options.enterprises) {
      throw new Error(`expected ${options.enterprises} reports, the evaluator wrote ${reports.size}`);
    }

    log('baseline: COPY the records out and the reports in');
    const baseline = await withClient(url, (c) => measureCopyBaseline(c));
    const grades = await countBy(url, 'select grade as k, count(*) as n from credit_report group by 1 order by 1');
    const riskLevels = await countBy(
      url,
      "select coalesce(risk_level, 'GREEN') as k, count(*) as n from enterprise group by 1 order by 1",
    );

    const result: BenchResult = {
      benchmark: 'credit-reevaluation',
      date: now.toISOString(),
      machine: machineInfo(postgres, server.embedded),
      params: {
        enterprises: options.enterprises,
        records: options.records,
        evaluationBatch: EVALUATION_BATCH,
        asOf,
      },
      generation,
      evaluation: {
        seconds,
        reports: reports.size,
        enterprisesPerSecond: reports.size / seconds,
        recordsPerSecond: generation.records / seconds,
        sqlStatements: counter.statements,
        sqlStatementsPer1000Enterprises: (counter.statements / reports.size) * 1000,
        peakRssBytes,
        grades,
        riskLevels,
      },
      baseline,
      ratio: seconds / baseline.seconds,
    };
    const file = resultFile(options, asOf);
    writeResult(file, result);
    console.log(formatTable(result));
    log(`wrote ${file}`);
  } finally {
    await orm?.close();
    if (options.keep) log(`kept database ${name} on ${server.embedded ? 'the embedded server' : server.url}`);
    else await dropDatabase(server.url, name).catch((err) => log(`could not drop ${name}: ${String(err)}`));
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  await run(options);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
