import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusForCode } from '../../api/errors.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { todayInChina } from '../../kernel/dates.ts';
import type { Result } from '../../kernel/result.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, NB, POLICY } from '../contributions/testing.ts';
import { accountBalances, checkLedger } from '../fund/ledger/ledger-read.ts';
import type { MessageAnswer } from './his-messages.ts';
import {
  cancelReferral,
  type FileReferralBody,
  fileReferral,
  queryReferrals,
} from './his-referrals.ts';
import { reverseMessage } from './his-reverse.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { decideReferral, listReferrals, recordTravelClaim } from './referral-consent.ts';
import {
  insertAcceptedCase,
  insertInstitution,
  settlementStaff,
  setUpSettlement,
  type TestInstitution,
} from './testing.ts';
import { approveTravelPayment, proposeTravelPayment } from './travel-claim-payment.ts';

const rules = testRuleBook().benefits;
const run = randomBytes(3).toString('hex');
let t: TestDatabase;
let hospital: TestInstitution;
let f: Awaited<ReturnType<typeof setUpSettlement>>;
let other: TestInstitution;
let caseId: string;
let signInId: string;
let otherSignInId: string;
let seq = 0;
const serial = () => {
  seq += 1;
  return `RF${run}-${seq}`;
};
const hz = settlementStaff('hz-referrals', HZ);
const nb = settlementStaff('nb-referrals', NB);

function answer(r: Result<MessageAnswer>): MessageAnswer {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
  return r.value;
}

async function signedIn(inst: TestInstitution, idNumber: string): Promise<string> {
  const s = answer(
    await signIn(t.db, inst.actor, { version: 1, serial: serial() }, { operator: '医务科01' }),
  );
  const id = String(s.body['signInId']);
  answer(
    await identifyPatient(
      t.db,
      inst.actor,
      { version: 1, serial: serial(), signInId: id },
      { idNumber },
    ),
  );
  return id;
}

const body = (over: Partial<FileReferralBody> = {}): FileReferralBody => ({
  caseId,
  toRegionCode: '310000',
  toInstitution: '上海市第六人民医院',
  kind: 'treatment',
  reason: '断肢再植，本地无条件',
  referredOn: '2026-03-01',
  doctor: { name: '张医生', licence: '110330100000001' },
  ...over,
});

async function file(over: Partial<FileReferralBody> = {}): Promise<string> {
  const env = { version: 1 as const, serial: serial(), signInId };
  return String(
    answer(await fileReferral(t.db, hospital.actor, env, body(over))).body['referralId'],
  );
}

const referralCount = async () =>
  Number((await t.db.query('SELECT count(*)::int AS n FROM settlement_referrals')).rows[0]?.['n']);

const capBinding = {
  departOn: '2026-03-02',
  returnOn: '2026-03-05',
  faresFen: 35_000,
  fareReceipts: 2,
  nights: 3,
  lodgingPaidFen: 150_000,
};

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpSettlement(t.db, rules);
  hospital = await insertInstitution(t.db);
  other = await insertInstitution(t.db);
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-02-20',
    diagnoses: ['S68.4'],
  });
  caseId = c.caseId;
  signInId = await signedIn(hospital, c.idNumber);
  otherSignInId = await signedIn(other, c.idNumber);
}, 60_000);
afterAll(() => t.cleanup());

describe('2301 转诊转院上传', () => {
  it('files a pending referral; the same serial and body replays, another body conflicts and writes nothing', async () => {
    const env = { version: 1 as const, serial: serial(), signInId };
    const first = answer(await fileReferral(t.db, hospital.actor, env, body()));
    expect(first.body).toMatchObject({ regionCode: HZ, status: 'pending' });
    const again = answer(await fileReferral(t.db, hospital.actor, env, body()));
    expect(again.replayed).toBe(true);
    expect(again.body['referralId']).toBe(first.body['referralId']);
    const before = await referralCount();
    const clash = await fileReferral(t.db, hospital.actor, env, body({ reason: '另一理由' }));
    expect(!clash.ok && clash.code).toBe('settlement.serial_conflict');
    expect(await referralCount()).toBe(before);
  });
  it('refuses a destination inside the city and a date before the accident', async () => {
    const env = () => ({ version: 1 as const, serial: serial(), signInId });
    const within = await fileReferral(
      t.db,
      hospital.actor,
      env(),
      body({ toRegionCode: '330106' }),
    );
    expect(!within.ok && within.code).toBe('settlement.referral_within_area');
    const early = await fileReferral(
      t.db,
      hospital.actor,
      env(),
      body({ referredOn: '2026-02-01' }),
    );
    expect(!early.ok && early.code).toBe('settlement.referral_before_accident');
  });
});

describe('2302 and 2303', () => {
  it('lists the institution’s own referrals only, and cancels only a pending one of its own', async () => {
    const id = await file();
    const mine = answer(
      await queryReferrals(
        t.db,
        hospital.actor,
        { version: 1, serial: serial(), signInId },
        { caseId },
      ),
    );
    expect(JSON.stringify(mine.body['referrals'])).toContain(id);
    const theirs = answer(
      await queryReferrals(
        t.db,
        other.actor,
        { version: 1, serial: serial(), signInId: otherSignInId },
        {},
      ),
    );
    expect(theirs.body['referrals']).toEqual([]);
    const stranger = await cancelReferral(
      t.db,
      other.actor,
      { version: 1, serial: serial(), signInId: otherSignInId },
      { referralId: id },
    );
    expect(!stranger.ok && stranger.code).toBe('settlement.referral_not_found');
    const env = () => ({ version: 1 as const, serial: serial(), signInId });
    const done = answer(await cancelReferral(t.db, hospital.actor, env(), { referralId: id }));
    expect(done.body).toEqual({ referralId: id, status: 'cancelled' });
    const twice = await cancelReferral(t.db, hospital.actor, env(), { referralId: id });
    expect(!twice.ok && twice.code).toBe('settlement.referral_not_pending');
  });
  it('冲正 of a 2301 cancels the pending referral it filed', async () => {
    const env = { version: 1 as const, serial: serial(), signInId };
    const id = String(
      answer(await fileReferral(t.db, hospital.actor, env, body())).body['referralId'],
    );
    const rev = answer(
      await reverseMessage(
        t.db,
        hospital.actor,
        { version: 1, serial: serial(), signInId },
        { txCode: '2301', serial: env.serial },
      ),
    );
    expect(rev.body['outcome']).toBe('referral_cancelled');
    const listed = await listReferrals(t.db, hz, { city: HZ, status: 'cancelled' });
    expect(listed.map((r) => r.referralId)).toContain(id);
  });
});

describe('the agency’s consent and the travel claim', () => {
  it('only the case’s city decides; an approved referral cannot be cancelled or decided again', async () => {
    const id = await file();
    const elsewhere = await decideReferral(t.db, nb, {
      city: HZ,
      referralId: id,
      decision: 'approved',
    });
    expect(!elsewhere.ok && statusForCode(elsewhere.code)).toBe(404);
    const approved = await decideReferral(t.db, hz, {
      city: HZ,
      referralId: id,
      decision: 'approved',
      note: '同意转诊',
    });
    expect(approved.ok && approved.value).toMatchObject({
      status: 'approved',
      decidedBy: hz.userId,
    });
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.referral.decide' AND object = $1`,
      [`referral/${HZ}/${id}`],
    );
    expect(audit.rows[0]?.['n']).toBe(1);
    const again = await decideReferral(t.db, hz, { city: HZ, referralId: id, decision: 'refused' });
    expect(!again.ok && again.code).toBe('settlement.referral_not_pending');
    const cancel = await cancelReferral(
      t.db,
      hospital.actor,
      { version: 1, serial: serial(), signInId },
      { referralId: id },
    );
    expect(!cancel.ok && cancel.code).toBe('settlement.referral_not_pending');
  });
  it('records a claim of an approved referral by hand (cap binding), replays its key, refuses other trips', async () => {
    const id = await file();
    expect(
      (await decideReferral(t.db, hz, { city: HZ, referralId: id, decision: 'approved' })).ok,
    ).toBe(true);
    const claim = { city: HZ, referralId: id, claimKey: `C${run}`, trips: [capBinding] };
    const r = await recordTravelClaim(t.db, hz, rules, claim);
    // 35 000 fares + min(150 000, 40 000 × 3) + (10 000 + 8 000) × 4 days = 227 000.
    expect(r.ok && r.value).toMatchObject({
      lodgingAllowedFen: 120_000,
      payableFen: 227_000,
      replayed: false,
    });
    const replay = await recordTravelClaim(t.db, hz, rules, claim);
    expect(replay.ok && [replay.value.replayed, replay.value.payableFen]).toEqual([true, 227_000]);
    const clash = await recordTravelClaim(t.db, hz, rules, {
      ...claim,
      trips: [{ ...capBinding, lodgingPaidFen: 90_000 }],
    });
    expect(!clash.ok && clash.code).toBe('settlement.travel_claim_conflict');
    const fresh = await recordTravelClaim(t.db, hz, rules, {
      ...claim,
      claimKey: `D${run}`,
      trips: [{ ...capBinding, lodgingPaidFen: 90_000 }],
    });
    // Under the cap: 35 000 + 90 000 + 72 000 = 197 000.
    expect(fresh.ok && fresh.value.payableFen).toBe(197_000);
  });
  it('refuses a claim of a pending or refused referral, and writes nothing', async () => {
    const pending = await file();
    const refused = await file();
    expect(
      (await decideReferral(t.db, hz, { city: HZ, referralId: refused, decision: 'refused' })).ok,
    ).toBe(true);
    for (const referralId of [pending, refused]) {
      const r = await recordTravelClaim(t.db, hz, rules, {
        city: HZ,
        referralId,
        claimKey: `E${run}`,
        trips: [capBinding],
      });
      expect(!r.ok && r.code).toBe('settlement.referral_not_approved');
    }
    const n = await t.db.query(
      'SELECT count(*)::int AS n FROM settlement_referral_claims WHERE referral_id = ANY($1::text[])',
      [[pending, refused]],
    );
    expect(n.rows[0]?.['n']).toBe(0);
  });
});

async function balance(account: string): Promise<number> {
  const rows = await accountBalances(t.db, { segment: HZ });
  return rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

describe('the travel claim’s payment (maker-checker through the ledger)', () => {
  it('is proposed by a handler of the case’s city, approved by another person, posted once: Dr 5103 / Cr 2102, Dr 2102 / Cr 1003', async () => {
    const referralId = await file();
    expect(
      (await decideReferral(t.db, hz, { city: HZ, referralId, decision: 'approved' })).ok,
    ).toBe(true);
    const key = { city: HZ, referralId, claimKey: `P${run}` };
    // 35 000 fares + min(150 000, 40 000 × 3) + (10 000 + 8 000) × 4 days = 227 000.
    const claim = await recordTravelClaim(t.db, hz, rules, { ...key, trips: [capBinding] });
    expect(claim.ok && claim.value.payableFen).toBe(227_000);
    const on = todayInChina();
    const early = await approveTravelPayment(t.db, f.checker, { ...key, on });
    expect(!early.ok && early.code).toBe('settlement.travel_claim_not_proposed');
    const elsewhere = await proposeTravelPayment(t.db, nb, key, POLICY);
    expect(!elsewhere.ok && elsewhere.code).toBe('settlement.travel_claim_not_found');
    const proposed = await proposeTravelPayment(t.db, f.maker, key, POLICY);
    expect(proposed.ok && proposed.value).toMatchObject({ status: 'proposed', replayed: false });
    const again = await proposeTravelPayment(t.db, f.maker, key, POLICY);
    expect(again.ok && again.value.replayed).toBe(true);
    const self = await approveTravelPayment(t.db, f.maker, { ...key, on });
    expect(!self.ok && self.code).toBe('approval.self_approval');
    const [e5103, l2102, a1003] = [
      await balance('5103'),
      await balance('2102'),
      await balance('1003'),
    ];
    const paid = await approveTravelPayment(t.db, f.checker, { ...key, on });
    if (!paid.ok) throw new Error(`${paid.code}: ${paid.message}`);
    expect(paid).toMatchObject({
      ok: true,
      value: {
        status: 'paid',
        payableFen: 227_000,
        ledgerTransactionId: `settlement-travel:${HZ}:${referralId}:P${run}:paid`,
        replayed: false,
      },
    });
    expect(await balance('5103')).toBe(e5103 + 227_000);
    expect(await balance('2102')).toBe(l2102);
    expect(await balance('1003')).toBe(a1003 - 227_000);
    const rerun = await approveTravelPayment(t.db, f.checker, { ...key, on });
    expect(rerun.ok && rerun.value.replayed).toBe(true);
    expect(await balance('1003')).toBe(a1003 - 227_000);
    const late = await proposeTravelPayment(t.db, f.maker, key, POLICY);
    expect(!late.ok && late.code).toBe('settlement.travel_claim_paid');
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});
