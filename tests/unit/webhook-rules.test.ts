import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { postWebhook } from '../../src/services/webhooks/http-post';
import { retryDelayMs } from '../../src/services/webhooks/retry-schedule';
import { signature } from '../../src/services/webhooks/signature';
import { checkWebhookUrl, isPrivateAddress } from '../../src/services/webhooks/url-policy';

const PRODUCTION = { allowHttpLoopback: false, blockPrivateAddresses: true };
const DEVELOPMENT = { allowHttpLoopback: true, blockPrivateAddresses: false };

describe('webhook URLs', () => {
  test.each([
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.1/hook',
    'https://127.0.0.1/hook',
    'https://127.1/hook', // the parser normalises it to 127.0.0.1
    'https://0x7f000001/hook',
    'https://169.254.169.254/latest/meta-data', // cloud metadata
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[::1]/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:10.0.0.1]/hook', // IPv4-mapped
    'https://localhost/hook',
    'https://api.localhost/hook',
  ])('production refuses %s', (url) => {
    expect(checkWebhookUrl(url, PRODUCTION)).toEqual({ problem: expect.stringContaining('内网') });
  });

  test('production refuses plain http, loopback included; https to public addresses and names is fine', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook']) {
      expect(checkWebhookUrl(url, PRODUCTION)).toEqual({ problem: expect.stringContaining('https') });
    }
    expect(checkWebhookUrl('https://8.8.8.8/hook', PRODUCTION)).toEqual({ url: 'https://8.8.8.8/hook' });
    expect(checkWebhookUrl(' https://Bank.Example:8443/a?b=1 ', PRODUCTION)).toEqual({
      url: 'https://bank.example:8443/a?b=1',
    });
  });

  test('development allows http to loopback only, and https to private addresses', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9/h', DEVELOPMENT)).toEqual({ url: 'http://127.0.0.1:9/h' });
    expect(checkWebhookUrl('http://127.0.0.2:9/h', DEVELOPMENT)).toHaveProperty('problem');
    expect(checkWebhookUrl('http://192.168.1.1/h', DEVELOPMENT)).toHaveProperty('problem');
    expect(checkWebhookUrl('https://192.168.1.1/h', DEVELOPMENT)).toEqual({ url: 'https://192.168.1.1/h' });
  });

  test('credentials, fragments and other schemes are refused everywhere', () => {
    for (const url of [
      'https://a:b@bank.example/',
      'https://bank.example/#x',
      'ws://bank.example/',
      'file:///etc/passwd',
    ]) {
      expect(checkWebhookUrl(url, DEVELOPMENT)).toHaveProperty('problem');
    }
  });

  test('isPrivateAddress looks at literal addresses only', () => {
    expect(isPrivateAddress('10.0.0.1')).toBe(true);
    expect(isPrivateAddress('[::1]')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('internal.example')).toBe(false);
  });
});

test('retries wait 10 s, doubling to an hour, ±10 %', () => {
  const exact = (attempt: number) => retryDelayMs(attempt, () => 0.5);
  expect([1, 2, 3, 4, 9, 10, 30].map(exact)).toEqual([10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000]);
  expect(retryDelayMs(1, () => 0)).toBe(9_000);
  expect(retryDelayMs(1, () => 0.999999)).toBe(11_000);
});

test('the signature is HMAC-SHA256 over "<timestamp>.<body>", hex, versioned', () => {
  // Fixed input, so a change of the recipe documented in docs/webhooks.md fails here.
  expect(signature('whsec_test', 1_700_000_000, '{"id":"x"}')).toBe(
    'v1=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3',
  );
});

test('config: plain-HTTP webhooks are refused in production', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cel-config-'));
  const production = { DATA_DIR: dir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
  expect(() => loadConfig({ ...production, WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' })).toThrow(ConfigError);
  expect(loadConfig(production).webhooks).toMatchObject({ allowHttpLoopback: false, blockPrivateAddresses: true });
  expect(loadConfig({ DATA_DIR: dir }).webhooks).toMatchObject({
    pollMs: 1_000,
    batchSize: 10,
    timeoutMs: 10_000,
    allowHttpLoopback: true,
    blockPrivateAddresses: false,
  });
});

test('in production a host name resolving to a private address is not called either', async () => {
  const outcome = await postWebhook(
    'http://localhost:9/hook',
    '{}',
    {},
    { timeoutMs: 2_000, blockPrivateAddresses: true },
  );
  expect(outcome).toMatchObject({ status: null, error: expect.stringContaining('EPRIVATEADDRESS') });
});
