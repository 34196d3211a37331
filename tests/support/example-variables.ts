import { fromReferences, type ExampleOperation } from '../../src/server/example-operations';

/**
 * Turns an example's `# variables:` into real values (docs/examples/README.md): `$from:<id>:<path>`
 * becomes the value at <path> of that example's `data`, and `$today[±N]` a date in Asia/Shanghai.
 */

const TODAY = /^\$today(?:([+-])(\d+))?$/;

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function at(data: unknown, path: string, where: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      throw new Error(`${where}: nothing at "${path}" (stopped at "${key}")`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function resolveVariables(
  example: ExampleOperation,
  results: ReadonlyMap<string, unknown>,
  today: string,
): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const [ref] = fromReferences(value);
      if (ref) {
        if (!results.has(ref.id)) throw new Error(`${example.id}: ${ref.id} has not run (or failed)`);
        return at(results.get(ref.id), ref.path, `${example.id} → ${ref.id}`);
      }
      const date = TODAY.exec(value);
      if (date) return addDays(today, date[1] ? Number(`${date[1]}${date[2]}`) : 0);
      return value;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  return resolve(example.variables) as Record<string, unknown>;
}

/** Every `userErrors` list in a result, with where it was, so a failure names the payload. */
export function userErrorsIn(value: unknown, path = 'data'): { path: string; errors: unknown[] }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => userErrorsIn(v, `${path}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'userErrors' && Array.isArray(v)
      ? v.length
        ? [{ path: `${path}.${k}`, errors: v }]
        : []
      : userErrorsIn(v, `${path}.${k}`),
  );
}
