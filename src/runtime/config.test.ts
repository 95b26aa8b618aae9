import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustedProxies } from './config.ts';

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
