import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment a command-line tool gets in the tests: this process's, without the test
 * runner's own settings, pointed at `databaseUrl`.
 */
export function cliEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('TEST_') && e[0] !== 'DATABASE_URL',
    ),
  );
  return { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...extra };
}

/** Runs one of the command-line tools (src/db/*.cli.ts) as `npm run` would. */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
