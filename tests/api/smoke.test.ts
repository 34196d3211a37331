import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('a signed-in bank sees itself', async () => {
  const world = await server.fixtures.getWorld();
  const res = await server.gql('{ me { login role institution { name } } }', {}, { token: world.bank.token });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.me).toEqual({ login: world.bank.user.login, role: 'BANK', institution: { name: '测试银行甲' } });
});
