import { describe, expect, it } from 'vitest';
import { beijingToday, fenToWanYuan, ratioToPercent } from './fund-format.ts';

describe('ratioToPercent', () => {
  it('shifts the decimal point by string arithmetic', () => {
    expect(ratioToPercent('0.0117')).toBe('1.17%');
    expect(ratioToPercent('-0.0350')).toBe('-3.50%');
    expect(ratioToPercent('1.0117')).toBe('101.17%');
    expect(ratioToPercent('0.05')).toBe('5.00%');
    expect(ratioToPercent('0.8')).toBe('80.00%');
    expect(ratioToPercent('1')).toBe('100.00%');
    expect(ratioToPercent('-0.0000')).toBe('0.00%');
    expect(ratioToPercent('0.29')).toBe('29.00%');
  });

  it('leaves anything that is not a decimal alone', () => {
    expect(ratioToPercent('1/3')).toBe('1/3');
  });
});

describe('fenToWanYuan', () => {
  it('rounds to 0.01 万元 half away from zero without float fen arithmetic', () => {
    expect(fenToWanYuan(0)).toBe(0);
    expect(fenToWanYuan(100_000_000)).toBe(100);
    expect(fenToWanYuan(994_501_378_661)).toBe(994501.38);
    expect(fenToWanYuan(4_999)).toBe(0);
    expect(fenToWanYuan(5_000)).toBe(0.01);
    expect(fenToWanYuan(-5_000)).toBe(-0.01);
  });
});

describe('beijingToday', () => {
  it('gives the Beijing calendar date', () => {
    expect(beijingToday(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(beijingToday(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
  });
});
