import { describe, expect, it } from 'vitest';
import { formatShanghaiDateTime } from './date-time.ts';
import { fenToYuanInput, fenToYuanText, yuanToFen } from './money.ts';

describe('yuanToFen', () => {
  it.each([
    ['6000', 600_000],
    ['6000.5', 600_050],
    ['6000.50', 600_050],
    ['0.29', 29],
    ['0.01', 1],
    ['0', 0],
    [' 6,000.05 ', 600_005],
    ['６０００．１２', 600_012],
    ['90071992547409.91', 9_007_199_254_740_991],
  ])('reads %j as %d fen exactly', (input, fen) => {
    expect(yuanToFen(input)).toBe(fen);
  });

  it.each(['', '.5', '6000.', '6000.123', '-1', '1e3', 'abc', '60 00x', '90071992547409.92'])(
    'refuses %j',
    (input) => {
      expect(yuanToFen(input)).toBeNull();
    },
  );

  it('never goes through floats: every cent of 0.00–9.99 round-trips', () => {
    for (let fen = 0; fen < 1000; fen += 1) {
      const text = `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
      expect(yuanToFen(text)).toBe(fen);
    }
  });
});

describe('fen formatting', () => {
  it('formats with thousands separators and two decimals', () => {
    expect(fenToYuanText(7_800_000)).toBe('78,000.00');
    expect(fenToYuanText(5)).toBe('0.05');
    expect(fenToYuanInput(600_050)).toBe('6000.50');
  });
});

describe('formatShanghaiDateTime', () => {
  it('shows UTC instants in Beijing time', () => {
    expect(formatShanghaiDateTime('2026-03-20T06:05:01Z', 'zh')).toBe('2026年3月20日 14:05:01');
    expect(formatShanghaiDateTime('2026-03-20T06:05:01Z', 'en')).toBe('2026-03-20 14:05:01');
    expect(formatShanghaiDateTime('2025-12-31T16:00:00.000Z', 'zh')).toBe('2026年1月1日 00:00:00');
  });

  it('leaves an unreadable value visible', () => {
    expect(formatShanghaiDateTime('not a date', 'zh')).toBe('not a date');
  });
});
