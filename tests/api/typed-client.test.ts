import {
  BankCreateApiKeyDocument,
  BankMyInstitutionDocument,
  BankRevokeApiKeyDocument,
} from '../../client/src/graphql';
import { GraphQLRequestError, request } from '../../client/src/request';
import type { World } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/** The copyable client (client/) against a real server: typed documents, bearer auth, Idempotency-Key. */
let server: TestServer;
let world: World;
beforeAll(async () => {
  server = await startTestServer();
  world = await server.fixtures.getWorld();
});
afterAll(() => server.close());

const endpoint = () => `${server.url}/graphql`;

test('a bank creates an API key and reads its institution with it', async () => {
  const created = await request({ url: endpoint(), token: world.bank.token }, BankCreateApiKeyDocument, {
    name: '核心系统 typed client',
  });
  expect(created.createApiKey.userErrors).toEqual([]);
  const apiKey = created.createApiKey.secret!;

  const { myInstitution } = await request({ url: endpoint(), token: apiKey }, BankMyInstitutionDocument);
  expect(myInstitution?.name).toBe(world.bankA.name);
});

test('a retried mutation with the same Idempotency-Key is answered from the first attempt', async () => {
  const created = await request({ url: endpoint(), token: world.bank.token }, BankCreateApiKeyDocument, {
    name: '核心系统 retry',
  });
  const apiKeyId = created.createApiKey.apiKey!.id;
  const replayed: (string | null)[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    replayed.push(response.headers.get('idempotent-replayed'));
    return response;
  };
  const client = { url: endpoint(), token: world.bank.token, fetch: recordingFetch };
  const key = `revoke-${apiKeyId}`;

  const first = await request(client, BankRevokeApiKeyDocument, { apiKeyId }, { idempotencyKey: key });
  const retry = await request(client, BankRevokeApiKeyDocument, { apiKeyId }, { idempotencyKey: key });
  expect(first.revokeApiKey.apiKey?.revokedAt).toBeTruthy();
  expect(retry).toEqual(first);
  expect(replayed).toEqual([null, 'true']);
});

test('an error answer throws GraphQLRequestError with its code', async () => {
  const failure = await request({ url: endpoint() }, BankMyInstitutionDocument).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(GraphQLRequestError);
  expect((failure as GraphQLRequestError).code).toBe('UNAUTHENTICATED');
});
