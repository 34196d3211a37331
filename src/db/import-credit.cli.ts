import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import {
  BulkImportError,
  USAGE,
  assertReadableFile,
  describe,
  formatSummary,
  importCreditFile,
  parseImportArgs,
} from '../services/credit/bulk-import';
import { ensureDefaultCreditModel } from '../services/credit-model.service';
import { openDatabase } from './database';

/**
 * `npm run import:credit -- <file.csv|file.jsonl> [--rejects <path>]`: bulk-loads credit records
 * (docs/credit-data-format.md). Progress and logs go to stderr; the summary alone to stdout.
 */
async function main(argv: string[]): Promise<void> {
  const args = parseImportArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Before the database: a typo in the path should not wait for an embedded PostgreSQL to start.
  await assertReadableFile(args.file);
  const config = loadConfig();
  const logger = createLogger(config.logLevel, process.stderr);
  const db = await openDatabase(config, logger).catch((err: unknown) => {
    throw new BulkImportError(`cannot open the database: ${describe(err)}`);
  });
  try {
    await ensureDefaultCreditModel(db.orm.em.fork());
    const summary = await importCreditFile({
      file: args.file,
      rejectsPath: args.rejectsPath,
      databaseUrl: db.url,
      orm: db.orm,
      onProgress: (message) => process.stderr.write(`import:credit: ${message}\n`),
    });
    process.stdout.write(formatSummary(summary));
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof BulkImportError || err instanceof ConfigError) {
    process.stderr.write(`import:credit: ${err.message}\n`);
    if (err instanceof BulkImportError && err.showUsage) process.stderr.write(`${USAGE}\n`);
  } else {
    process.stderr.write(`import:credit: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
