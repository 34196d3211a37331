import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The example operations of docs/examples/<role>/<task>.graphql, read for the IDE's tabs and for
 * tests/api/examples.test.ts, which runs every one of them against the demo city. The format is
 * described in docs/examples/README.md: a comment header (what the task does, `# Sign in as:` and
 * `# variables:` lines), then the operation.
 */

export const EXAMPLE_ROLES = ['public', 'enterprise', 'bank', 'regulator', 'admin'] as const;
export type ExampleRole = (typeof EXAMPLE_ROLES)[number];

/** Next to src/ (or dist/) in the repository; a deployment without docs/ gets no examples. */
export const EXAMPLES_DIR = join(__dirname, '../../docs/examples');

export interface ExampleOperation {
  /** `<role>/<task>`, the name `$from:` references use. */
  id: string;
  role: ExampleRole;
  /** The whole file, header included. */
  source: string;
  /** The header's prose lines, without `#`. */
  description: string[];
  /** The demo login to run it as; null for anonymous. */
  signInAs: string | null;
  /** As written: values may be `$from:<id>:<path>` or `$today[±N]` markers (see the README). */
  variables: Record<string, unknown>;
  /** The examples whose results its variables use. */
  dependsOn: string[];
}

const FROM = /^\$from:([a-z]+\/[a-z0-9-]+):(.+)$/;

/** Every `$from:` marker inside a variables value, at any depth. */
export function fromReferences(value: unknown): { id: string; path: string }[] {
  if (typeof value === 'string') {
    const m = FROM.exec(value);
    return m ? [{ id: m[1]!, path: m[2]! }] : [];
  }
  if (Array.isArray(value)) return value.flatMap(fromReferences);
  if (value && typeof value === 'object') return Object.values(value).flatMap(fromReferences);
  return [];
}

export function parseExample(id: string, role: ExampleRole, source: string): ExampleOperation {
  const header: string[] = [];
  for (const line of source.split('\n')) {
    if (!line.startsWith('#')) break;
    header.push(line.replace(/^#\s?/, ''));
  }
  let signInAs: string | null = null;
  let variables: Record<string, unknown> = {};
  const description: string[] = [];
  for (const line of header) {
    const signIn = /^Sign in as:\s*(\S+)/i.exec(line);
    const vars = /^variables:\s*(\{.*\})\s*$/i.exec(line);
    if (signIn) signInAs = signIn[1]!;
    else if (vars) {
      try {
        variables = JSON.parse(vars[1]!) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`docs/examples/${id}.graphql: the variables line is not JSON (${(error as Error).message})`, {
          cause: error,
        });
      }
    } else description.push(line);
  }
  const dependsOn = [...new Set(fromReferences(variables).map((r) => r.id))];
  return { id, role, source, description, signInAs, variables, dependsOn };
}

/** The order docs/examples/README.md lists the tasks in (its tables are the reading order). */
function readmeOrder(dir: string): string[] {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return [];
  const ids = [...readFileSync(readme, 'utf8').matchAll(/\b([a-z]+\/[a-z0-9-]+)\.graphql\b/g)].map((m) => m[1]!);
  return [...new Set(ids)];
}

/**
 * Every example, in an order that runs each after the examples its variables refer to; among
 * those ready to run, the README's order decides (so one that needs the state another leaves,
 * such as verifying after importing the registry record, is listed after it).
 */
export function loadExamples(dir = EXAMPLES_DIR): ExampleOperation[] {
  if (!existsSync(dir)) return [];
  const examples = new Map<string, ExampleOperation>();
  for (const role of EXAMPLE_ROLES) {
    const roleDir = join(dir, role);
    if (!existsSync(roleDir)) continue;
    for (const file of readdirSync(roleDir).filter((f) => f.endsWith('.graphql'))) {
      const id = `${role}/${file.slice(0, -'.graphql'.length)}`;
      examples.set(id, parseExample(id, role, readFileSync(join(roleDir, file), 'utf8')));
    }
  }
  const listed = readmeOrder(dir).filter((id) => examples.has(id));
  const rank = new Map(
    [...listed, ...[...examples.keys()].filter((id) => !listed.includes(id)).sort()].map((id, i) => [id, i]),
  );
  const ordered: ExampleOperation[] = [];
  const done = new Set<string>();
  while (ordered.length < examples.size) {
    const ready = [...examples.values()]
      .filter((e) => !done.has(e.id) && e.dependsOn.every((d) => done.has(d)))
      .sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
    if (!ready.length) {
      const stuck = [...examples.keys()].filter((id) => !done.has(id));
      throw new Error(`docs/examples: $from references that never resolve (missing or circular): ${stuck.join(', ')}`);
    }
    ordered.push(ready[0]!);
    done.add(ready[0]!.id);
  }
  return ordered;
}
