import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { agreementInForce } from '../../domain/settlement/settlement-reference.ts';
import { systemActor } from '../../identity/actor.ts';
import { listAgreements } from '../settlement/settlement-agreements.ts';
import { searchCatalogue } from '../settlement/settlement-catalogue.ts';
import { insertSettlementRegions, referenceCounts } from '../settlement/testing.ts';
import { seedSettlementDemo } from './seed-settlement-demo.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await insertSettlementRegions(t.db);
});
afterAll(async () => t.cleanup());

describe('settlement demo seed', () => {
  it('creates the demo institutions, agreements, catalogue and maps once; a rerun changes nothing', async () => {
    const first = await seedSettlementDemo(t.db, systemActor('seed'));
    expect(first).toEqual({ institutions: 5, agreements: 5, codeMaps: 10 });
    const counts = await referenceCounts(t.db);
    expect(counts['settlement_catalogue_items']).toBe(20);
    const again = await seedSettlementDemo(t.db, systemActor('seed'));
    expect(again).toEqual({ institutions: 0, agreements: 0, codeMaps: 0 });
    const after = await referenceCounts(t.db);
    expect({ ...after, audit_events: 0 }).toEqual({ ...counts, audit_events: 0 });
  });

  it('the demo.institution user’s hospital has an inpatient agreement in force, and drugs of both classes', async () => {
    const agreements = await listAgreements(t.db, '330000', 'INST-330100-0001');
    const list = agreements.ok ? agreements.value : [];
    expect(agreementInForce(list, '2026-06-01', 'inpatient')?.crossProvince).toBe(true);
    const drugs = await searchCatalogue(t.db, { kind: 'drug', date: '2026-06-01', limit: 50 });
    expect(new Set(drugs.items.map((d) => d.drugClass))).toEqual(new Set(['A', 'B']));
  });
});
