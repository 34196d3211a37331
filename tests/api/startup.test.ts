import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/db/embedded';
import { DEMO_PRODUCTS } from '../../src/db/seed/demo-products';

const ROOT = join(__dirname, '../..');

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs `src/main.ts` as `npm start` does, with the given environment. */
function start(env: Record<string, string>): Started {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && k !== 'DATABASE_URL'),
  );
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...clean, LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitFor(started: Started, text: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline || started.child.exitCode !== null) {
      throw new Error(`did not see "${text}"; output:\n${started.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const LOGIN =
  'mutation($l: String!, $p: String!) { login(input: { login: $l, password: $p }) { accessToken userErrors { code } } }';

test('with no DATABASE_URL it runs an embedded PostgreSQL, seeds the demo once, and stops cleanly on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cel-start-'));
  // As root, PostgreSQL runs as its own OS user, which must be able to reach the data directory.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_LOGIN: 'ops',
    ADMIN_PASSWORD: 'ops-password-1',
  };
  try {
    const first = start(env);
    await waitFor(first, '信易贷 GraphQL API');
    expect(first.output()).toContain('demo-enterprise');
    const http = request(`http://127.0.0.1:${port}`);
    expect((await http.get('/readyz')).status).toBe(200);
    const demo = await http
      .post('/graphql')
      .send({ query: LOGIN, variables: { l: 'demo-bank', p: 'demo-password-1' } });
    expect(demo.body.data.login.accessToken).toBeTruthy();
    // ADMIN_LOGIN created the first admin before the demo seed added its own.
    const ops = await http.post('/graphql').send({ query: LOGIN, variables: { l: 'ops', p: 'ops-password-1' } });
    expect(ops.body.data.login.accessToken).toBeTruthy();
    const enterprises = await http
      .post('/graphql')
      .set('authorization', `Bearer ${demo.body.data.login.accessToken}`)
      .send({ query: '{ institutions(first: 100) { totalCount } }' });
    expect(enterprises.body.data.institutions.totalCount).toBe(6);
    // The demo market: published products of the demo banks, graded enterprises.
    const market = await http.post('/graphql').send({ query: '{ loanProducts(first: 50) { totalCount } }' });
    expect(market.body.data.loanProducts.totalCount).toBe(DEMO_PRODUCTS.length);
    // …and the marketplace on it: demo-bank's loans.
    const loans = await http
      .post('/graphql')
      .set('authorization', `Bearer ${demo.body.data.login.accessToken}`)
      .send({ query: '{ loans(first: 50) { totalCount } }' });
    expect(loans.body.data.loans.totalCount).toBeGreaterThanOrEqual(7);

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.output()).not.toMatch(/Failed|error/i);

    // A second start finds the same cluster and data, and seeds nothing twice.
    const second = start(env);
    await waitFor(second, '信易贷 GraphQL API');
    const again = await request(`http://127.0.0.1:${port}`)
      .post('/graphql')
      .send({ query: '{ institutions(first: 100) { totalCount } }' });
    expect(again.body.data.institutions.totalCount).toBe(6);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

test('an invalid configuration stops start-up with a message naming the variable', async () => {
  const started = start({ PORT: 'not-a-port', JWT_SECRET: 'short' });
  expect(await started.exit).toBe(1);
  expect(started.output()).toMatch(/Invalid configuration/);
  expect(started.output()).toMatch(/PORT/);
  expect(started.output()).toMatch(/JWT_SECRET: must be at least 32 characters/);
});

test('production refuses to start without JWT_SECRET', async () => {
  const started = start({ NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  expect(await started.exit).toBe(1);
  expect(started.output()).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
});
