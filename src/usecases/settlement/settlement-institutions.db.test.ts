import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { demoCreditCode } from '../seed/demo-ids.ts';
import { listAgreements, signAgreement, terminateAgreement } from './settlement-agreements.ts';
import {
  changeInstitutionStatus,
  createInstitution,
  getInstitution,
  listInstitutions,
} from './settlement-institutions.ts';
import { insertSettlementRegions, referenceCounts, settlementStaff } from './testing.ts';

const hz = settlementStaff('hz', '330100');
const nb = settlementStaff('nb', '330200');

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await insertSettlementRegions(t.db);
});
afterAll(async () => t.cleanup());

const hospital = {
  regionCode: '330100',
  name: '杭州示例医院',
  kind: 'hospital' as const,
  level: 'tertiary' as const,
  createdOn: '2025-01-01',
};

describe('institutions', () => {
  it('creates with the city’s next number and a checked credit code, audited', async () => {
    const a = await createInstitution(t.db, hz, {
      ...hospital,
      creditCode: demoCreditCode('330100', 7),
    });
    const b = await createInstitution(t.db, hz, {
      ...hospital,
      name: '杭州示例康复中心',
      kind: 'rehabilitation',
      level: 'none',
    });
    expect(a.ok && a.value.id).toBe('INST-330100-0001');
    expect(b.ok && b.value.id).toBe('INST-330100-0002');
    expect(a.ok && a.value.creditCode).toBe(demoCreditCode('330100', 7));
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.institution.create'`,
    );
    expect(audit.rows[0]?.['n']).toBe(2);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('refuses a bad credit code, a province creator, another city’s id and a taken id; nothing changed', async () => {
    const before = await referenceCounts(t.db);
    const bad = await createInstitution(t.db, hz, {
      ...hospital,
      creditCode: '91330100MA00000000',
    });
    expect(!bad.ok && bad.code).toBe('settlement.institution_invalid_credit_code');
    const province = await createInstitution(t.db, hz, { ...hospital, regionCode: '330000' });
    expect(!province.ok && province.code).toBe('settlement.institution_not_in_city');
    const mismatch = await createInstitution(t.db, hz, { ...hospital, id: 'INST-330200-0001' });
    expect(!mismatch.ok && mismatch.code).toBe('settlement.institution_id_mismatch');
    const taken = await createInstitution(t.db, hz, { ...hospital, id: 'INST-330100-0001' });
    expect(!taken.ok && taken.code).toBe('settlement.institution_exists');
    expect(await referenceCounts(t.db)).toEqual(before);
  });
});

describe('institutions: list and status', () => {
  it('lists a city’s institutions by page; the province sees all; another city sees none', async () => {
    await createInstitution(t.db, nb, { ...hospital, regionCode: '330200', name: '宁波示例医院' });
    const page1 = await listInstitutions(t.db, { regionCode: '330100', limit: 1 });
    expect(page1.institutions.map((i) => i.id)).toEqual(['INST-330100-0001']);
    expect(page1.next).toBe('INST-330100-0001');
    const page2 = await listInstitutions(t.db, {
      regionCode: '330100',
      limit: 1,
      after: page1.next ?? '',
    });
    expect(page2.institutions.map((i) => i.id)).toEqual(['INST-330100-0002']);
    expect(page2.next).toBeNull();
    const all = await listInstitutions(t.db, { regionCode: '330000', limit: 50 });
    expect(all.institutions).toHaveLength(3);
    const byName = await listInstitutions(t.db, {
      regionCode: '330000',
      namePrefix: '宁波',
      limit: 50,
    });
    expect(byName.institutions.map((i) => i.id)).toEqual(['INST-330200-0001']);
    expect((await getInstitution(t.db, '330200', 'INST-330100-0001')).ok).toBe(false);
    expect((await getInstitution(t.db, '330000', 'INST-330100-0001')).ok).toBe(true);
  });

  it('suspends and terminates by date; terminated is final; out-of-order and another city refused', async () => {
    const change = { regionCode: '330100', institutionId: 'INST-330100-0002', reason: '违规' };
    const otherCity = await changeInstitutionStatus(t.db, nb, {
      ...change,
      regionCode: '330200',
      status: 'suspended',
      effectiveFrom: '2025-03-01',
    });
    expect(!otherCity.ok && otherCity.code).toBe('settlement.institution_not_found');
    const early = await changeInstitutionStatus(t.db, hz, {
      ...change,
      status: 'suspended',
      effectiveFrom: '2024-12-31',
    });
    expect(!early.ok && early.code).toBe('settlement.institution_change_out_of_order');
    const s = await changeInstitutionStatus(t.db, hz, {
      ...change,
      status: 'suspended',
      effectiveFrom: '2025-03-01',
    });
    expect(s.ok && [s.value.status, s.value.statusFrom]).toEqual(['suspended', '2025-03-01']);
    const same = await changeInstitutionStatus(t.db, hz, {
      ...change,
      status: 'suspended',
      effectiveFrom: '2025-04-01',
    });
    expect(!same.ok && same.code).toBe('settlement.institution_status_unchanged');
    const end = await changeInstitutionStatus(t.db, hz, {
      ...change,
      status: 'terminated',
      effectiveFrom: '2025-05-01',
    });
    expect(end.ok && end.value.status).toBe('terminated');
    const again = await changeInstitutionStatus(t.db, hz, {
      ...change,
      status: 'active',
      effectiveFrom: '2025-06-01',
    });
    expect(!again.ok && again.code).toBe('settlement.institution_terminated');
  });
});

const signing = {
  regionCode: '330100',
  institutionId: 'INST-330100-0001',
  scopes: ['outpatient' as const, 'inpatient' as const],
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  crossProvince: false,
};

describe('agreements: sign', () => {
  it('signs in the managing city; an overlapping one is refused, the next year is not', async () => {
    const first = await signAgreement(t.db, hz, signing);
    expect(first.ok && first.value.signedRegionCode).toBe('330100');
    const before = await referenceCounts(t.db);
    const overlap = await signAgreement(t.db, hz, {
      ...signing,
      validFrom: '2025-12-31',
      validTo: '2026-12-31',
    });
    expect(!overlap.ok && overlap.code).toBe('settlement.agreement_overlaps');
    const backwards = await signAgreement(t.db, hz, {
      ...signing,
      validFrom: '2026-02-01',
      validTo: '2026-01-01',
    });
    expect(!backwards.ok && backwards.code).toBe('settlement.agreement_dates_invalid');
    const suspended = await signAgreement(t.db, hz, {
      ...signing,
      institutionId: 'INST-330100-0002',
    });
    expect(!suspended.ok && suspended.code).toBe('settlement.institution_not_active');
    const otherCity = await signAgreement(t.db, nb, { ...signing, regionCode: '330200' });
    expect(!otherCity.ok && otherCity.code).toBe('settlement.institution_not_found');
    expect(await referenceCounts(t.db)).toEqual(before);
    const next = await signAgreement(t.db, hz, {
      ...signing,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      scopes: ['rehabilitation'],
    });
    expect(next.ok).toBe(true);
  });

  it('concurrent overlapping signatures: exactly one wins (the advisory lock)', async () => {
    const twin = { ...signing, validFrom: '2027-01-01', validTo: '2027-12-31' };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => signAgreement(t.db, hz, twin)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual([
      'settlement.agreement_overlaps',
      'settlement.agreement_overlaps',
      'settlement.agreement_overlaps',
    ]);
  });
});

describe('agreements: terminate', () => {
  it('terminates from a date: the days before stay covered and the freed days can be re-signed', async () => {
    const listed = await listAgreements(t.db, '330000', 'INST-330100-0001');
    const y2027 = listed.ok ? listed.value.find((a) => a.validFrom === '2027-01-01') : undefined;
    expect(y2027).toBeDefined();
    const id = y2027?.id ?? '';
    const outside = await terminateAgreement(t.db, hz, {
      regionCode: '330100',
      agreementId: id,
      effectiveFrom: '2028-01-01',
      reason: 'x',
    });
    expect(!outside.ok && outside.code).toBe('settlement.agreement_termination_out_of_range');
    const byOther = await terminateAgreement(t.db, nb, {
      regionCode: '330200',
      agreementId: id,
      effectiveFrom: '2027-07-01',
      reason: 'x',
    });
    expect(!byOther.ok && byOther.code).toBe('settlement.agreement_not_found');
    const ended = await terminateAgreement(t.db, hz, {
      regionCode: '330100',
      agreementId: id,
      effectiveFrom: '2027-07-01',
      reason: '协议期内违规',
    });
    expect(ended.ok && [ended.value.status, ended.value.terminatedFrom]).toEqual([
      'terminated',
      '2027-07-01',
    ]);
    const twice = await terminateAgreement(t.db, hz, {
      regionCode: '330100',
      agreementId: id,
      effectiveFrom: '2027-08-01',
      reason: 'x',
    });
    expect(!twice.ok && twice.code).toBe('settlement.agreement_terminated');
    const stillOverlaps = await signAgreement(t.db, hz, {
      ...signing,
      validFrom: '2027-06-30',
      validTo: '2027-12-31',
    });
    expect(!stillOverlaps.ok && stillOverlaps.code).toBe('settlement.agreement_overlaps');
    const after = await signAgreement(t.db, hz, {
      ...signing,
      validFrom: '2027-07-01',
      validTo: '2027-12-31',
    });
    expect(after.ok).toBe(true);
    expect((await listAgreements(t.db, '330200', 'INST-330100-0001')).ok).toBe(false);
  });
});
