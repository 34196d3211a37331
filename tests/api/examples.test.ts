import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { DEFAULT_QUERY_LIMITS } from '../../src/config';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../../src/db/seed/demo';
import { EXAMPLES_DIR, loadExamples, type ExampleOperation } from '../../src/server/example-operations';
import { shanghaiDate } from '../../src/services/time';
import { resolveVariables, userErrorsIn } from '../support/example-variables';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Every file of docs/examples/ runs against the demo city, signed in as its `# Sign in as:` user,
 * in dependency order, with `$from:` values taken from earlier results (docs/examples/README.md).
 * The production query limits apply, so an example that works here works on a real server.
 */

const examples = loadExamples();
let server: TestServer;
const tokens = new Map<string, string>();
const results = new Map<string, unknown>();

beforeAll(async () => {
  server = await startTestServer({ queryLimits: DEFAULT_QUERY_LIMITS });
  expect(await seedDemo(server.orm.em.fork(), pino({ level: 'silent' }))).toBe(true);
}, 120_000);

afterAll(() => server?.close());

async function tokenOf(login: string): Promise<string> {
  if (!tokens.has(login)) {
    const res = await server.gql(
      'mutation($l: String!, $p: String!) { login(input: { login: $l, password: $p }) { accessToken } }',
      { l: login, p: DEMO_PASSWORD },
    );
    const token = res.body.data?.login?.accessToken as string | undefined;
    if (!token) throw new Error(`demo login ${login} failed: ${JSON.stringify(res.body)}`);
    tokens.set(login, token);
  }
  return tokens.get(login)!;
}

function filesOnDisk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.graphql'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).replace(/\.graphql$/, ''))
    .sort();
}

describe('the examples as files', () => {
  test('every .graphql file under docs/examples is an example this test runs', () => {
    expect(examples.map((e) => e.id).sort()).toEqual(filesOnDisk(EXAMPLES_DIR));
    expect(examples.length).toBeGreaterThanOrEqual(60);
  });

  test('the README lists every example, and nothing else', () => {
    const readme = readFileSync(join(EXAMPLES_DIR, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/`([a-z]+\/[a-z0-9-]+)\.graphql`/g)].map((m) => m[1]!).sort();
    expect(listed).toEqual(filesOnDisk(EXAMPLES_DIR));
  });

  test('each signs in as a demo user of its directory’s role (public ones as nobody)', () => {
    const roleOf = new Map<string, string>(DEMO_LOGINS.map((l) => [l.login, l.role.toLowerCase()]));
    const wrong = examples
      .filter((e) => (e.role === 'public' ? e.signInAs !== null : roleOf.get(e.signInAs ?? '') !== e.role))
      .map((e) => `${e.id}: ${e.signInAs}`);
    expect(wrong).toEqual([]);
  });

  test('operation names are unique across all examples and say the role (the typed client needs both)', () => {
    const names = examples.flatMap((e) => operationsOf(e).map((op) => op.name?.value ?? `${e.id}: anonymous`));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const unprefixed = examples.flatMap((e) =>
      operationsOf(e)
        .map((op) => op.name?.value ?? '')
        .filter((n) => !n.toLowerCase().startsWith(e.role)),
    );
    expect(unprefixed).toEqual([]);
  });

  test('within a role a variable name means one value (the IDE tab holds them all in one Variables pane)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const e of examples) {
      for (const [name, value] of Object.entries(e.variables)) {
        const key = `${e.role}.${name}`;
        const json = JSON.stringify(value);
        if (seen.has(key) && seen.get(key) !== json) clashes.push(`${e.id}: $${name}`);
        seen.set(key, seen.get(key) ?? json);
      }
    }
    expect(clashes).toEqual([]);
  });

  test('each has a description in its header', () => {
    expect(examples.filter((e) => !e.description.join('').trim()).map((e) => e.id)).toEqual([]);
  });
});

function operationsOf(example: ExampleOperation): OperationDefinitionNode[] {
  return parse(example.source).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
}

describe('every example runs on the demo city without errors', () => {
  test.each(examples.map((e) => [e.id, e] as const))('%s', async (id, example) => {
    const variables = resolveVariables(example, results, shanghaiDate(new Date()));
    const token = example.signInAs ? await tokenOf(example.signInAs) : undefined;
    const data: Record<string, unknown> = {};
    // A file may hold more than one operation (e.g. a task done in two steps): run each by name, in order.
    for (const op of operationsOf(example)) {
      const res = await server.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set(token ? { authorization: `Bearer ${token}` } : {})
        .send({ query: example.source, variables, operationName: op.name?.value });
      expect({ id, status: res.status, errors: res.body.errors }).toEqual({ id, status: 200, errors: undefined });
      expect({ id, userErrors: userErrorsIn(res.body.data) }).toEqual({ id, userErrors: [] });
      Object.assign(data, res.body.data);
    }
    results.set(id, data);
  });

  // Declared last, so it runs after every example above.
  test('ran every file on disk', () => {
    expect([...results.keys()].sort()).toEqual(filesOnDisk(EXAMPLES_DIR));
  });
});
