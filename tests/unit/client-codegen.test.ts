import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/**
 * Regenerates the client in memory (in a child process: codegen's ESM-only dependencies load in Node but
 * not through jest's module loader) and compares it with the committed file.
 */
test('the committed typed client matches the schema and the examples (run `npm run codegen` after changing either)', () => {
  let output: string;
  try {
    output = execFileSync(process.execPath, ['-r', '@swc-node/register', 'scripts/codegen.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
  }
  expect(output.trim()).toBe('client/src/graphql.ts is up to date');
});
