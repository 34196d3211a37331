import { ConfigError } from '../config';

/**
 * Runs a read-only check command (`npm run audit:verify`, `npm run statistics:verify`): its own
 * exit code, 0 or 1, or 2 with the reason when it could not run at all.
 */
export function runCheck(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message =
        err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(`${name}: failed: ${message}\n`);
      process.exit(2);
    },
  );
}
