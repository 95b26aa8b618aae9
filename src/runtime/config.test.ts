import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  secretSettings,
  secureTransport,
  trustedProxies,
} from './config.ts';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SHUTDOWN_TIMEOUT_MS).toBe(10_000);
  });
  it('validates the shutdown deadline like the other settings', () => {
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).SHUTDOWN_TIMEOUT_MS).toBe(2500);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(
      /SHUTDOWN_TIMEOUT_MS: an integer number of milliseconds/,
    );
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });
  it('names each wrong setting and what is allowed', () => {
    expect(() =>
      loadConfig({ PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT: .*65535/);
      expect(msg).toMatch(/LOG_LEVEL: .*fatal.*silent/);
      expect(msg).toMatch(/DATABASE_URL: must be a postgres/);
    }
  });
  it('runs demo on the embedded database and production on a server unless TONGCHOU_MODE says', () => {
    expect(loadConfig({}).TONGCHOU_MODE).toBe('demo');
    const server = 'postgres://tc:s3cret-Of-Its-0wn@db:5432/tongchou';
    expect(loadConfig({ DATABASE_URL: server }).TONGCHOU_MODE).toBe('production');
    expect(loadConfig({ DATABASE_URL: server, TONGCHOU_MODE: 'demo' }).TONGCHOU_MODE).toBe('demo');
    expect(loadConfig({ TONGCHOU_MODE: 'production' }).TONGCHOU_MODE).toBe('production');
    expect(() => loadConfig({ TONGCHOU_MODE: 'prod' })).toThrow(
      /TONGCHOU_MODE: demo or production/,
    );
  });
  it('takes TRUST_PROXY as addresses or ranges, never as "trust everyone"', () => {
    const c = loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback, ::1' });
    expect(trustedProxies(c)).toEqual(['10.0.0.5', '10.1.0.0/16', 'loopback', '::1']);
    expect(trustedProxies(loadConfig({}))).toEqual([]);
    for (const bad of ['true', '*', 'proxy.example.com', '10.0.0.5,', '300.1.1.1'])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(
        /TRUST_PROXY: .*never true or \*/,
      );
  });
  it('wants both TLS files or neither', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/etc/tc/cert.pem' })).toThrow(
      /TLS_KEY_FILE: TLS needs both/,
    );
    expect(() => loadConfig({ TLS_KEY_FILE: '/etc/tc/key.pem' })).toThrow(
      /TLS_CERT_FILE: TLS needs both/,
    );
  });
  it('marks transport secure in production and under its own TLS, not in a plain demo', () => {
    expect(secureTransport(loadConfig({}))).toBe(false);
    expect(secureTransport(loadConfig({ TONGCHOU_MODE: 'production' }))).toBe(true);
    const tls = { TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' };
    expect(secureTransport(loadConfig(tls))).toBe(true);
  });
  it('lists the secrets production checks: the database password, decoded', () => {
    expect(secretSettings(loadConfig({ DATABASE_URL: 'postgres://u:p%40ss@h/db' }))).toEqual([
      { setting: 'DATABASE_URL (its password)', value: 'p@ss' },
    ]);
    expect(secretSettings(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }))).toEqual([]);
    expect(secretSettings(loadConfig({ DATABASE_URL: 'postgres://u:100%zz@h/db' }))).toEqual([
      { setting: 'DATABASE_URL (its password)', value: '100%zz' },
    ]);
  });
});

describe('authentication settings', () => {
  it('defaults: throttled after 5, 30 s doubling to 15 min, ceiling 100, no trusted proxy', () => {
    const c = loadConfig({});
    expect(c.LOGIN_THROTTLE_FAILURES).toBe(5);
    expect(c.LOGIN_THROTTLE_BASE_SECONDS).toBe(30);
    expect(c.LOGIN_THROTTLE_MAX_MINUTES).toBe(15);
    expect(c.LOGIN_ACCOUNT_CEILING).toBe(100);
    expect(c.LOGIN_SECOND_FACTOR).toBe('optional');
    expect(c.API_TOKEN_MAX_DAYS).toBe(365);
    expect(trustedProxies(c)).toEqual([]);
  });
  it('TRUST_PROXY names the proxies, never "trust everyone"', () => {
    expect(trustedProxies(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }))).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
    ]);
    for (const bad of ['true', '*', 'proxy.example'])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(
        /TRUST_PROXY: .*never true or \*/,
      );
  });
  it('the per-account ceiling stays within NIST SP 800-63B (at most 100)', () => {
    expect(() => loadConfig({ LOGIN_ACCOUNT_CEILING: '101' })).toThrow(/LOGIN_ACCOUNT_CEILING/);
  });
});
