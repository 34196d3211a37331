import { parseArgs } from 'node:util';
import { datasetDatabase, parseSize, prepareDataset } from './lib/bench-dataset';
import { openServer } from './lib/server';

// npm run bench:data -- --size S|M|L: generates the workloads' dataset (bench/lib/bench-dataset.ts)
// into cel_bench_workloads_<size> and keeps it for `npm run bench`. See bench/README.md.

const USAGE = `npm run bench:data -- [options]

  --size S|M|L          S: 1,000 enterprises; M: 100,000 enterprises, 2,000,000 records, 200,000 demands,
                        ~600,000 offers, 100,000 loans; L: M with 10× the records and loans (default S)
  --database-url URL    PostgreSQL server (default: DATABASE_URL; required, the dataset must outlive the run)
  --fresh               regenerate even when a dataset of that size was generated today
  --help`;

const log = (message: string) => console.log(`[bench:data] ${message}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      size: { type: 'string' },
      'database-url': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const size = parseSize(values.size);
  const databaseUrl = values['database-url'] || process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('set DATABASE_URL (or --database-url): an embedded server would not keep the data');
  const server = await openServer(databaseUrl);
  const prepared = await prepareDataset(server.url, size, { fresh: values.fresh ?? false, log });
  const g = prepared.generation;
  const steps = Object.entries(g.seconds)
    .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
    .join(', ');
  console.log(`dataset ${datasetDatabase(size)} (size ${size}, as of ${g.today})`);
  console.log(
    `  rows: ${Object.entries(g.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ')}`,
  );
  console.log(
    `  grades: ${Object.entries(g.grades)
      .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
      .join(', ')}`,
  );
  console.log(`  generated in ${g.totalSeconds.toFixed(1)} s${prepared.reused ? ' (earlier; reused)' : ''}: ${steps}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
