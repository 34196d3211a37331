import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('health', () => {
  test('/healthz answers while the process is up', async () => {
    const res = await server.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 while the database does, 503 when it does not', async () => {
    const up = await server.http.get('/readyz');
    expect(up.status).toBe(200);
    expect(up.body.database).toBe('up');

    const other = await startTestServer();
    await other.appOrm.close(true);
    const started = Date.now();
    const down = await other.http.get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', database: 'down' });
    expect(Date.now() - started).toBeLessThan(3_000);
    await other.app.close();
    await other.orm.close();
  });

  test('/metrics serves Prometheus text with request counts by operation and the pool', async () => {
    await server.gql('query HeadlineDepartments { departments { id } }');
    const res = await server.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/graphql_requests_total\{operation="HeadlineDepartments",type="query",outcome="ok"\} 1/);
    expect(res.text).toMatch(/graphql_request_duration_seconds_bucket\{le="[\d.]+",operation="HeadlineDepartments"/);
    expect(res.text).toMatch(/db_pool_connections_used \d+/);
    expect(res.text).toMatch(/process_resident_memory_bytes/);
  });
});

describe('requests', () => {
  test('a request id is honoured when sane, generated otherwise, and returned', async () => {
    const given = await server.http
      .post('/graphql')
      .set('x-request-id', 'bank-core-42')
      .send({ query: '{ __typename }' });
    expect(given.headers['x-request-id']).toBe('bank-core-42');
    const generated = await server.http.post('/graphql').send({ query: '{ __typename }' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await server.http
      .post('/graphql')
      .set('x-request-id', `<script> {"level":60} ${'x'.repeat(200)}`)
      .send({ query: '{ __typename }' });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('GET runs queries (with a CSRF-safe header) but never mutations', async () => {
    const q = await server.http
      .get('/graphql')
      .query({ query: '{ departments { id } }' })
      .set('apollo-require-preflight', 'true');
    expect(q.status).toBe(200);
    expect(q.body.data.departments).toEqual([]);
    const m = await server.http
      .get('/graphql')
      .query({ query: 'mutation { logout(input: { refreshToken: "x" }) { ok } }' })
      .set('apollo-require-preflight', 'true');
    expect(m.status).toBe(405);
  });

  test('a simple cross-site GET without the preflight header is refused (CSRF prevention)', async () => {
    const res = await server.http.get('/graphql').query({ query: '{ departments { id } }' });
    expect(res.status).toBe(400);
  });

  test('CORS admits only configured origins', async () => {
    const allowed = await server.http
      .options('/graphql')
      .set('origin', 'http://allowed.example')
      .set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://allowed.example');
    const other = await server.http
      .options('/graphql')
      .set('origin', 'http://evil.example')
      .set('access-control-request-method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('an unknown field is a validation error, a body over 1 MiB is refused', async () => {
    const res = await server.gql('{ nope }');
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const big = await server.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }));
    expect(big.status).toBe(413);
  });
});

describe('introspection', () => {
  test('on in development, off in production (unless ENABLE_INTROSPECTION)', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await server.gql(query)).body.data.__schema.queryType.name).toBe('Query');
    const production = await startTestServer({ env: 'production', introspection: false });
    try {
      const res = await production.gql(query);
      expect(res.body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toMatch(/stacktrace/i);
    } finally {
      await production.close();
    }
  });
});

describe('the IDE', () => {
  test('a browser opening /graphql gets GraphiQL served from this server only', async () => {
    const res = await server.http.get('/graphql').set('accept', 'text/html,application/xhtml+xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    // Only loopback addresses, which the examples use as a local webhook receiver.
    expect(res.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1[:/])/);
    // Everything but the empty data: favicon (which keeps the browser from asking for /favicon.ico).
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => u !== 'data:,');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith('/graphiql-assets/')).toBe(true);
      expect((await server.http.get(asset)).status).toBe(200);
    }
  });
});

describe('errors', () => {
  test('an internal failure is masked: no message, stack, SQL or table name', async () => {
    const broken = await startTestServer();
    try {
      await broken.orm.em.getConnection().execute('drop table department cascade');
      const res = await broken.gql('{ departments { id name } }');
      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors!;
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(error.message).toBe('服务器内部错误，请稍后重试');
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/department"|relation|select|stack|\.ts:/i);
      expect(res.headers['x-request-id']).toBeTruthy();
    } finally {
      await broken.close();
    }
  });
});

describe('subscriptions over graphql-ws', () => {
  const connect = (connectionParams?: Record<string, unknown>) =>
    new Promise<{ acked: boolean; code?: number }>((resolve) => {
      const client = createClient({
        url: `${server.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams,
        on: {
          connected: () => {
            resolve({ acked: true });
            void client.dispose();
          },
          closed: (event) => resolve({ acked: false, code: (event as { code: number }).code }),
        },
        onNonLazyError: () => undefined,
      });
    });

  test('a connection without credentials is closed with 4401', async () => {
    expect(await connect()).toEqual({ acked: false, code: 4401 });
    expect(await connect({ authorization: 'Bearer not-a-token' })).toEqual({ acked: false, code: 4401 });
  });

  test('a connection with a valid token is acknowledged (either header case)', async () => {
    const world = await server.fixtures.getWorld();
    expect(await connect({ authorization: `Bearer ${world.bank.token}` })).toEqual({ acked: true });
    expect(await connect({ Authorization: `Bearer ${world.enterprise.token}` })).toEqual({ acked: true });
  });
});
