import { and, desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  benefitEntitlements,
  caseDependants,
  cases,
  dependantCardAccounts,
  socialSecurityCardAccounts,
  workers,
} from '../../db/schema.ts';
import {
  type Beneficiary,
  type CardAccountRefusalCode,
  cardAccountRefusal,
} from '../../domain/benefits/card-account.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskAccountNumber } from '../../identity/masking.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { workerKnownInCity } from './worker-in-city.ts';

/**
 * Recording and reading the social-security card accounts benefits are paid to (docs/benefits.md,
 * "Card accounts"): a worker's (social_security_card_accounts, migration 0024, province-wide like
 * the worker) and a dependant's (dependant_card_accounts, migration 0039, in the case's city). The
 * payroll (payroll-run.ts, payroll-reissue.ts) reads the one in force on the month's last day.
 * Account numbers are personal data: answers mask all but the last four digits for a reader
 * without pii:reveal, audit events and refusals never hold a full number, and every read is
 * audited (who saw whose account).
 */
export type SetCardAccountCode =
  | CardAccountRefusalCode
  | 'benefit.worker_not_found'
  | 'benefit.dependant_not_found';

export type CardAccountEntry = {
  validFrom: IsoDate;
  bankName: string;
  accountName: string;
  /** All but the last four digits hidden (************1234). */
  accountNumberMasked: string;
  /** The full number: only for a reader holding pii:reveal. */
  accountNumber?: string;
  recordedBy: string;
  recordedAt: string;
};

export type CardAccountView = {
  beneficiary: Beneficiary['kind'];
  /** The worker (a dependant's: the deceased worker of the case). */
  workerId: string;
  dependantId: string | null;
  caseId: string | null;
  /** The beneficiary's name in the register (workers.name or case_dependants.name). */
  name: string;
  /** The account in force on the day asked (null: none yet). */
  current: CardAccountEntry | null;
  /** Every dated version, latest valid_from first. */
  accounts: CardAccountEntry[];
};

export type SetCardAccountInput = {
  regionCode: string;
  beneficiary: Beneficiary;
  validFrom: IsoDate;
  bankName: string;
  accountNumber: string;
  accountName: string;
  /** Today in China: the account takes effect in the current month at the earliest. */
  today: IsoDate;
};

type Holder = { workerId: string; dependantId: string | null; caseId: string | null; name: string };

type StoredAccount = {
  validFrom: IsoDate;
  bankName: string;
  accountNumber: string;
  accountName: string;
  recordedBy: string;
  recordedAt: Date;
};

/**
 * The beneficiary as the city knows it: a worker with a case or an entitlement in the city, or a
 * dependant of one of the city's death cases (current, or holding an entitlement). Null: not
 * found, or outside the city (answered 404 like any record outside the caller's scope).
 */
async function holderOf(
  ex: Executor,
  regionCode: string,
  who: Beneficiary,
): Promise<Holder | null> {
  if (who.kind === 'worker') {
    const [w] = await ex.orm
      .select({ name: workers.name })
      .from(workers)
      .where(eq(workers.id, who.workerId));
    if (w === undefined || !(await workerKnownInCity(ex, regionCode, who.workerId))) return null;
    return { workerId: who.workerId, dependantId: null, caseId: null, name: w.name };
  }
  const [d] = await ex.orm
    .select({
      name: caseDependants.name,
      caseId: caseDependants.caseId,
      status: caseDependants.status,
      workerId: cases.workerId,
    })
    .from(caseDependants)
    .innerJoin(
      cases,
      and(eq(cases.regionCode, caseDependants.regionCode), eq(cases.id, caseDependants.caseId)),
    )
    .where(and(eq(caseDependants.regionCode, regionCode), eq(caseDependants.id, who.dependantId)));
  if (d === undefined) return null;
  if (d.status !== 'current' && !(await holdsEntitlement(ex, regionCode, who.dependantId)))
    return null;
  return { workerId: d.workerId, dependantId: who.dependantId, caseId: d.caseId, name: d.name };
}

/** A replaced dependant row still counts when an entitlement names it (migration 0034). */
async function holdsEntitlement(ex: Executor, regionCode: string, dependantId: string) {
  const found = await ex.orm
    .select({ id: benefitEntitlements.id })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.dependantId, dependantId),
      ),
    )
    .limit(1);
  return found.length > 0;
}

function notFound(regionCode: string, who: Beneficiary) {
  return who.kind === 'worker'
    ? refuse('benefit.worker_not_found', `no worker ${who.workerId} in ${regionCode}`)
    : refuse('benefit.dependant_not_found', `no dependant ${who.dependantId} in ${regionCode}`);
}

/** The beneficiary's dated accounts, latest first. */
async function storedAccounts(
  ex: Executor,
  regionCode: string,
  who: Beneficiary,
): Promise<StoredAccount[]> {
  if (who.kind === 'worker') {
    const s = socialSecurityCardAccounts;
    return ex.orm
      .select({
        validFrom: s.validFrom,
        bankName: s.bankName,
        accountNumber: s.accountNumber,
        accountName: s.accountName,
        recordedBy: s.recordedBy,
        recordedAt: s.recordedAt,
      })
      .from(s)
      .where(eq(s.workerId, who.workerId))
      .orderBy(desc(s.validFrom));
  }
  const d = dependantCardAccounts;
  return ex.orm
    .select({
      validFrom: d.validFrom,
      bankName: d.bankName,
      accountNumber: d.accountNumber,
      accountName: d.accountName,
      recordedBy: d.recordedBy,
      recordedAt: d.recordedAt,
    })
    .from(d)
    .where(and(eq(d.regionCode, regionCode), eq(d.dependantId, who.dependantId)))
    .orderBy(desc(d.validFrom));
}

function entryOf(a: StoredAccount, reveal: boolean): CardAccountEntry {
  return {
    validFrom: a.validFrom,
    bankName: a.bankName,
    accountName: a.accountName,
    accountNumberMasked: maskAccountNumber(a.accountNumber),
    ...(reveal ? { accountNumber: a.accountNumber } : {}),
    recordedBy: a.recordedBy,
    recordedAt: a.recordedAt.toISOString(),
  };
}

function viewOf(
  holder: Holder,
  stored: readonly StoredAccount[],
  input: { on: IsoDate; reveal: boolean },
): CardAccountView {
  const current = stored.find((a) => a.validFrom <= input.on);
  return {
    beneficiary: holder.dependantId === null ? 'worker' : 'dependant',
    workerId: holder.workerId,
    dependantId: holder.dependantId,
    caseId: holder.caseId,
    name: holder.name,
    current: current === undefined ? null : entryOf(current, input.reveal),
    accounts: stored.map((a) => entryOf(a, input.reveal)),
  };
}

function objectOf(regionCode: string, who: Beneficiary): string {
  return who.kind === 'worker'
    ? `worker/${who.workerId}/card-account`
    : `dependant/${regionCode}/${who.dependantId}/card-account`;
}

const canReveal = (actor: Actor) => actor.permissions.includes('pii:reveal');

/** The write of one dated version: a second recording on the same valid_from replaces it. */
async function upsertAccount(
  tx: Executor,
  actor: Actor,
  input: SetCardAccountInput,
): Promise<void> {
  const values = {
    validFrom: input.validFrom,
    bankName: input.bankName,
    accountNumber: input.accountNumber,
    accountName: input.accountName,
    recordedBy: actor.username,
  };
  const set = { ...values, recordedAt: new Date() };
  const who = input.beneficiary;
  if (who.kind === 'worker') {
    await tx.orm
      .insert(socialSecurityCardAccounts)
      .values({ ...values, workerId: who.workerId })
      .onConflictDoUpdate({
        target: [socialSecurityCardAccounts.workerId, socialSecurityCardAccounts.validFrom],
        set,
      });
    return;
  }
  await tx.orm
    .insert(dependantCardAccounts)
    .values({ ...values, regionCode: input.regionCode, dependantId: who.dependantId })
    .onConflictDoUpdate({
      target: [
        dependantCardAccounts.regionCode,
        dependantCardAccounts.dependantId,
        dependantCardAccounts.validFrom,
      ],
      set,
    });
}

/**
 * Records (or changes from a date) the card account of a worker or a dependant: the beneficiary
 * known to the city, the account dated in the current month or later, held in the beneficiary's
 * own name. One transaction with its audit event (the number masked); the answer is the
 * beneficiary's accounts as of `today`.
 */
export async function setCardAccount(
  db: Database,
  actor: Actor,
  input: SetCardAccountInput,
): Promise<Result<CardAccountView, SetCardAccountCode>> {
  return db.transaction(async (tx) => {
    const holder = await holderOf(tx, input.regionCode, input.beneficiary);
    if (holder === null) return notFound(input.regionCode, input.beneficiary);
    const refused = cardAccountRefusal({ ...input, registerName: holder.name });
    if (refused !== null) return refused;
    const before = await storedAccounts(tx, input.regionCode, input.beneficiary);
    const replaced = before.find((a) => a.validFrom === input.validFrom) ?? null;
    await upsertAccount(tx, actor, input);
    await appendAudit(
      tx,
      okEventOf(actor, 'benefits.card_account.set', objectOf(input.regionCode, input.beneficiary), {
        validFrom: input.validFrom,
        bankName: input.bankName,
        accountNumberMasked: maskAccountNumber(input.accountNumber),
        replaced: replaced === null ? null : maskAccountNumber(replaced.accountNumber),
      }),
    );
    const after = await storedAccounts(tx, input.regionCode, input.beneficiary);
    return ok(viewOf(holder, after, { on: input.today, reveal: canReveal(actor) }));
  });
}

/**
 * The beneficiary's card accounts as of `on`, masked for a reader without pii:reveal. The read
 * of personal data is audited in the same transaction (`benefits.card_account.show`).
 */
export async function cardAccountsOf(
  db: Database,
  actor: Actor,
  input: { regionCode: string; beneficiary: Beneficiary; on: IsoDate },
): Promise<Result<CardAccountView, 'benefit.worker_not_found' | 'benefit.dependant_not_found'>> {
  return db.transaction(async (tx) => {
    const holder = await holderOf(tx, input.regionCode, input.beneficiary);
    if (holder === null) return notFound(input.regionCode, input.beneficiary);
    const stored = await storedAccounts(tx, input.regionCode, input.beneficiary);
    const reveal = canReveal(actor);
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'benefits.card_account.show',
        objectOf(input.regionCode, input.beneficiary),
        {
          versions: stored.length,
          revealed: reveal,
        },
      ),
    );
    return ok(viewOf(holder, stored, { on: input.on, reveal }));
  });
}
