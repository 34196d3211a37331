import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { PASSWORD } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // Development settings log every request; trace level logs everything there is.
  server = await startTestServer({ env: 'development' }, { logger: createLogger('trace', sink) });
});
afterAll(() => server.close());

test('logs carry request ids but never passwords, tokens or API keys', async () => {
  const world = await server.fixtures.getWorld();
  const login = await server.gql(
    'mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }',
    { input: { login: world.bank.user.login, password: PASSWORD } },
    { headers: { 'x-request-id': 'log-test-1' } },
  );
  const { accessToken, refreshToken } = login.body.data.login;
  const key = await server.gql(
    'mutation { createApiKey(input: { name: "core" }) { secret } }',
    {},
    { token: accessToken },
  );
  const secret = key.body.data.createApiKey.secret;
  await server.gql('{ me { id } }', {}, { apiKey: secret });
  await server.gql('{ me { id } }', {}, { headers: { authorization: `Bearer ${secret}` } });
  await server.gql('mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }', {
    t: refreshToken,
  });
  await server.gql('{ me { id } }', {}, { token: 'forged.token.value' });

  const text = lines.join('');
  expect(text).toContain('log-test-1');
  for (const leaked of [PASSWORD, accessToken, refreshToken, secret, 'forged.token.value']) {
    expect(text).not.toContain(leaked);
  }
  expect(lines.length).toBeGreaterThan(5);
});
