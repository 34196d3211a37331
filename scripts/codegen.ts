import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_FILE, exampleFiles, generateClient } from './client-codegen';

/**
 * `npm run codegen`: writes the typed client for the documented example operations.
 * `--check` writes nothing and exits 1 when the committed file differs (the test runs this: jest's module
 * loader cannot require the ESM-only packages codegen depends on, which Node 20 itself can).
 */
const root = join(__dirname, '..');
const check = process.argv.includes('--check');

generateClient(root)
  .then((code) => {
    if (check) {
      const stale = readFileSync(join(root, CLIENT_FILE), 'utf8') !== code;
      console.log(stale ? `${CLIENT_FILE} is stale: run \`npm run codegen\`` : `${CLIENT_FILE} is up to date`);
      process.exit(stale ? 1 : 0);
    }
    writeFileSync(join(root, CLIENT_FILE), code);
    console.log(`written: ${CLIENT_FILE} (${exampleFiles(root).length} example files)`);
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
