import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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
