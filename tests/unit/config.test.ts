import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'cel-config-'));

describe('loadConfig', () => {
  test('defaults: port 4000, embedded database with demo data, a kept development secret', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      seedDemo: true,
      introspection: true,
      corsOrigins: [],
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(config.jwtSecret);
  });

  test('an external database gets no demo data unless asked', () => {
    const base = { DATA_DIR: dataDir(), DATABASE_URL: 'postgres://u@h:5432/d' };
    expect(loadConfig(base).seedDemo).toBe(false);
    expect(loadConfig({ ...base, SEED_DEMO: '1' }).seedDemo).toBe(true);
  });

  test('production: JWT_SECRET required, introspection off unless enabled', () => {
    const secret = 'x'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ENABLE_INTROSPECTION: '1' }).introspection).toBe(
      true,
    );
  });

  test('every bad value is reported at once, named', () => {
    try {
      loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://h/d', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
      throw new Error('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'JWT_SECRET']) expect(message).toContain(name);
    }
  });

  test('ADMIN_LOGIN and ADMIN_PASSWORD go together; CORS origins are a list', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ADMIN_LOGIN: 'ops' })).toThrow(/go together/);
    const config = loadConfig({ DATA_DIR: dataDir(), CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('deployment safety', () => {
  test('production refuses demo data and seeds none by default', () => {
    const secret = 'x'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SEED_DEMO: '1' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).seedDemo).toBe(false);
  });

  test('X-Forwarded-For is believed only from the configured proxies', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});
