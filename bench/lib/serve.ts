import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type * as DatabaseModule from '../../src/db/database';
import type * as OrmConfigModule from '../../src/db/orm-config';
import type * as LoggerModule from '../../src/logger';
import type * as AppModule from '../../src/server/app';
import { benchConfig } from './bench-config';
import { serveUsage } from './child';

// BENCH_COMPILED=1 (run.ts --compiled): the application as `npm run build` compiled it, from dist/,
// so that memory is measured without the in-memory TypeScript transpiler and its source maps.
const root = process.env.BENCH_COMPILED === '1' ? '../../dist' : '../../src';
/* eslint-disable @typescript-eslint/no-require-imports -- the same modules from src/ or from dist/ */
const { SERVING_LIMITS } = require(`${root}/db/database`) as typeof DatabaseModule;
const { ormConfig } = require(`${root}/db/orm-config`) as typeof OrmConfigModule;
const { createLogger } = require(`${root}/logger`) as typeof LoggerModule;
const { createApp } = require(`${root}/server/app`) as typeof AppModule;
/* eslint-enable @typescript-eslint/no-require-imports */

// The application as deployed (createApp, production settings, the serving session limits) on
// BENCH_DATABASE_URL, in its own process for bench/run.ts, which reads its CPU and memory.

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is required');
const poolMax = Number(process.env.BENCH_POOL_MAX ?? 10);
const logFile = process.env.BENCH_SERVER_LOG ?? '.tmp/bench-server.log';

/** The server's log goes to a file; errors (pino level ≥ 50) are counted for the run's table. */
function logDestination() {
  mkdirSync(dirname(logFile), { recursive: true });
  const file = createWriteStream(logFile, { flags: 'a' });
  let errors = 0;
  return {
    errors: () => errors,
    stream: {
      write(line: string) {
        if (/"level":(5|6)\d/.test(line)) errors += 1;
        file.write(line);
      },
    },
  };
}

async function main(): Promise<void> {
  // BENCH_ROW_SECURITY=off: the baseline that shows what row-level security costs (run.ts).
  const rowSecurity = process.env.BENCH_ROW_SECURITY !== 'off';
  const session = rowSecurity ? 'serving' : 'system';
  const orm = await MikroORM.init(ormConfig({ url: url!, poolMax, limits: SERVING_LIMITS, session }));
  const log = logDestination();
  const config = { ...benchConfig(poolMax), rowSecurity };
  const app = await createApp({ config, orm, logger: createLogger('warn', log.stream) });
  await app.listen();
  const { port } = app.fastify.server.address() as AddressInfo;
  serveUsage(
    port,
    async () => {
      await app.close();
      await orm.close();
    },
    log.errors,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
