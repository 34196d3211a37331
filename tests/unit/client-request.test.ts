import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLRequestError, request } from '../../client/src/request';

/** A stand-in for fetch that records what was sent and answers with a fixed body. */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const query = parse('query Me { me { login } }') as TypedDocumentNode<
  { me: { login: string } | null },
  Record<string, never>
>;
const mutation = parse(
  'mutation Revoke($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }',
) as TypedDocumentNode<{ revokeApiKey: { userErrors: { code: string }[] } }, { id: string }>;

test('a query is posted with the bearer token and no Idempotency-Key; its data is returned', async () => {
  const { fetch, calls } = fakeFetch(200, { data: { me: { login: 'demo-bank' } } });
  const data = await request({ url: 'http://127.0.0.1/graphql', token: 'tok', fetch }, query);
  expect(data.me?.login).toBe('demo-bank');
  const headers = calls[0].init.headers as Record<string, string>;
  expect(headers.Authorization).toBe('Bearer tok');
  expect(headers['Idempotency-Key']).toBeUndefined();
  expect(JSON.parse(calls[0].init.body as string)).toEqual({
    query: 'query Me {\n  me {\n    login\n  }\n}',
    operationName: 'Me',
  });
});

test('a mutation carries the given Idempotency-Key, or a fresh one', async () => {
  const { fetch, calls } = fakeFetch(200, { data: { revokeApiKey: { userErrors: [] } } });
  await request({ url: 'http://x/graphql', fetch }, mutation, { id: '1' }, { idempotencyKey: 'repay-2026-0001' });
  await request({ url: 'http://x/graphql', fetch }, mutation, { id: '1' });
  const keys = calls.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
  expect(keys[0]).toBe('repay-2026-0001');
  expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(calls[0].init.body as string).variables).toEqual({ id: '1' });
});

test('errors become a GraphQLRequestError with the HTTP status and the first code', async () => {
  const { fetch } = fakeFetch(409, { errors: [{ message: '请求正在处理', extensions: { code: 'CONFLICT' } }] });
  const failure = await request({ url: 'http://x/graphql', fetch }, mutation, { id: '1' }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(GraphQLRequestError);
  expect(failure).toMatchObject({ status: 409, code: 'CONFLICT' });
});
