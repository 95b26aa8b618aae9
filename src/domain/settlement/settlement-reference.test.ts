import { describe, expect, it } from 'vitest';
import {
  type AgreementFacts,
  agreementInForce,
  catalogueItemOn,
  mappedCode,
  rangesOverlap,
} from './settlement-reference.ts';

const agreement = (over: Partial<AgreementFacts>): AgreementFacts => ({
  id: 'agr_0000000000000001',
  institutionId: 'INST-330100-0001',
  scopes: ['outpatient', 'inpatient'],
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  terminatedFrom: null,
  ...over,
});

describe('agreementInForce', () => {
  const first = agreement({});
  const second = agreement({
    id: 'agr_0000000000000002',
    scopes: ['rehabilitation'],
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  });

  it('finds the agreement covering the scope on the day, both ends included', () => {
    expect(agreementInForce([first, second], '2025-01-01', 'inpatient')).toBe(first);
    expect(agreementInForce([first, second], '2025-12-31', 'outpatient')).toBe(first);
    expect(agreementInForce([first, second], '2026-06-01', 'rehabilitation')).toBe(second);
  });

  it('is null outside the dates, for a scope not signed, and for a terminated agreement', () => {
    expect(agreementInForce([first], '2024-12-31', 'inpatient')).toBeNull();
    expect(agreementInForce([first], '2026-01-01', 'inpatient')).toBeNull();
    expect(agreementInForce([first, second], '2025-06-01', 'device')).toBeNull();
    expect(agreementInForce([second], '2026-06-01', 'inpatient')).toBeNull();
    const ended = { ...first, terminatedFrom: '2025-06-01' };
    expect(agreementInForce([ended], '2025-06-01', 'inpatient')).toBeNull();
    expect(agreementInForce([ended], '2025-05-31', 'inpatient')).toBe(ended);
    expect(agreementInForce([], '2025-06-01', 'inpatient')).toBeNull();
  });
});

describe('rangesOverlap', () => {
  it('shares a day when the ends touch, not when they are a day apart; null is open', () => {
    const a = { validFrom: '2025-01-01', validTo: '2025-06-30' };
    expect(rangesOverlap(a, { validFrom: '2025-06-30', validTo: '2025-12-31' })).toBe(true);
    expect(rangesOverlap(a, { validFrom: '2025-07-01', validTo: '2025-12-31' })).toBe(false);
    expect(rangesOverlap(a, { validFrom: '2020-01-01', validTo: null })).toBe(true);
    expect(rangesOverlap({ validFrom: '2026-01-01', validTo: null }, a)).toBe(false);
  });
});

describe('catalogueItemOn', () => {
  const items = [
    { code: 'X01', validFrom: '2025-01-01', validTo: '2025-06-30', priceCapFen: 1000 },
    { code: 'X01', validFrom: '2025-07-01', validTo: null, priceCapFen: 1200 },
    { code: 'Y02', validFrom: '2025-03-01', validTo: '2025-03-31', priceCapFen: 500 },
  ];

  it('gives the row of that code in force on the day: a new cap from its date', () => {
    expect(catalogueItemOn(items, 'X01', '2025-06-30')?.priceCapFen).toBe(1000);
    expect(catalogueItemOn(items, 'X01', '2025-07-01')?.priceCapFen).toBe(1200);
    expect(catalogueItemOn(items, 'X01', '2099-01-01')?.priceCapFen).toBe(1200);
  });

  it('is null before the first row, after a closed one and for an unknown code', () => {
    expect(catalogueItemOn(items, 'X01', '2024-12-31')).toBeNull();
    expect(catalogueItemOn(items, 'Y02', '2025-04-01')).toBeNull();
    expect(catalogueItemOn(items, 'Z99', '2025-04-01')).toBeNull();
  });
});

describe('mappedCode', () => {
  const maps = [
    { ownCode: 'HIS-1', catalogueCode: 'X01', validFrom: '2025-01-01', validTo: '2025-12-31' },
    { ownCode: 'HIS-1', catalogueCode: 'X02', validFrom: '2026-01-01', validTo: null },
  ];

  it('maps by date and is null when unmapped', () => {
    expect(mappedCode(maps, 'HIS-1', '2025-12-31')).toBe('X01');
    expect(mappedCode(maps, 'HIS-1', '2026-01-01')).toBe('X02');
    expect(mappedCode(maps, 'HIS-1', '2024-01-01')).toBeNull();
    expect(mappedCode(maps, 'HIS-2', '2025-05-01')).toBeNull();
  });
});
