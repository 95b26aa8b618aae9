import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  employerExperience,
  employers,
  floatingReviewItems,
  floatingReviews,
} from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext } from '../../rules/context.ts';
import {
  type ExperienceYear,
  type FloatingReviewOutcome,
  floatingReview,
} from '../../rules/contributions/floating-review.ts';
import { riskClassOf } from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { payloadHash, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { withinRegion } from '../registry/employers.ts';

/**
 * The floating-rate review (浮动费率评审, docs/adr/0011-floating-rate-review.md) of a city for a
 * year: the rule proposes every employer's grade from its experience; the maker's run stores the
 * proposals and asks for approval of their exact hash, count, city, year and effective date; once
 * a checker of another role approved, applying consumes the approval and changes every changed
 * grade from the effective date through the register's own grade change, all in one transaction.
 * Applying again applies nothing; a rejected approval cannot be consumed, so grades stay.
 */
export const FLOATING_REVIEW_ACTION = 'contributions.floating_review';

export type FloatingReviewRefusal =
  | 'floating_review.not_in_city'
  | 'floating_review.effective_outside_year'
  | 'floating_review.already_applied'
  | 'floating_review.superseded'
  | 'record.not_found'
  | 'rules.parameter_missing';

type ReviewRow = typeof floatingReviews.$inferSelect;
type ItemRow = typeof floatingReviewItems.$inferSelect;
type ItemInsert = typeof floatingReviewItems.$inferInsert;

/** What the checker approves: built by this one function for the request and for the apply. */
export function floatingReviewPayload(review: {
  regionCode: string;
  id: string;
  reviewYear: number;
  effectiveFrom: IsoDate;
  proposalsHash: string;
  proposalCount: number;
  changedCount: number;
}) {
  return {
    reviewId: review.id,
    city: review.regionCode,
    year: review.reviewYear,
    effectiveFrom: review.effectiveFrom,
    proposalsHash: review.proposalsHash,
    proposalCount: review.proposalCount,
    changedCount: review.changedCount,
  };
}

/** The hash of the proposals as stored (sorted by employer): what the approval is bound to. */
export function proposalsHashOf(items: readonly ItemInsert[]): string {
  const proposals = items
    .filter((i) => i.outcome === 'proposed')
    .map((i) => ({
      employerId: i.employerId,
      riskClass: i.riskClass ?? null,
      currentGrade: i.currentGrade,
      proposedGrade: i.proposedGrade ?? null,
      contributionsFen: i.contributionsFen ?? null,
      benefitCostsFen: i.benefitCostsFen ?? null,
      injuries: i.injuries ?? null,
      headcountYears: i.headcountYears ?? null,
      ratio: i.ratio ?? null,
      incidence: i.incidence ?? null,
    }))
    .sort((a, b) => (a.employerId < b.employerId ? -1 : a.employerId > b.employerId ? 1 : 0));
  return payloadHash(proposals);
}

type EmployerRow = typeof employers.$inferSelect;

function itemOf(
  rules: RuleSet,
  e: EmployerRow,
  experience: readonly ExperienceYear[],
  review: { id: string; year: number; effectiveFrom: IsoDate },
): Result<ItemInsert, 'rules.parameter_missing'> {
  const base = {
    regionCode: e.regionCode,
    reviewId: review.id,
    employerId: e.id,
    employerName: e.name,
    creditCode: e.creditCode,
    currentGrade: e.floatingGrade,
  };
  const ctx = makeContext(rules, e.regionCode, {}, false);
  const risk = riskClassOf(ctx, e.industryStandard, e.industryDivision, review.effectiveFrom);
  if (!risk.ok) {
    if (risk.code === 'rules.parameter_missing')
      return refuse('rules.parameter_missing', risk.message, risk.details);
    return ok({
      ...base,
      outcome: 'left_out',
      leftOutReason: 'unclassified',
      windowYears: [],
      trail: [`${risk.code}: ${risk.message}`],
      citations: [],
    });
  }
  const out = floatingReview(rules, {
    region: e.regionCode,
    riskClass: risk.value,
    reviewYear: review.year,
    date: review.effectiveFrom,
    experience,
  });
  if (!out.ok) return out;
  return ok({ ...base, riskClass: risk.value, ...outcomeColumns(out.value) });
}

function outcomeColumns(o: FloatingReviewOutcome) {
  if (o.kind === 'left_out')
    return {
      outcome: 'left_out' as const,
      leftOutReason: o.reason,
      windowYears: o.windowYears,
      trail: [o.message],
      citations: [],
    };
  return {
    outcome: 'proposed' as const,
    proposedGrade: o.grade,
    windowYears: o.windowYears,
    contributionsFen: o.contributionsFen,
    benefitCostsFen: o.benefitCostsFen,
    injuries: o.injuries,
    headcountYears: o.headcountYears,
    ratio: o.ratio,
    incidence: o.incidence,
    trail: o.trail,
    citations: o.citations,
  };
}

export type ReviewRun = {
  regionCode: string;
  year: number;
  effectiveFrom: IsoDate;
  policy: ApprovalPolicy;
};

/**
 * The experience the review reads, per employer: one row a year, the imported one when the year has
 * both (an import is the province's correction of what the system derived, migration 0046), each
 * year tagged with where it came from so the item's trail names it.
 */
async function experienceOf(tx: Executor, regionCode: string, ids: readonly string[]) {
  const byEmployer = new Map<string, ExperienceYear[]>();
  const sources = new Map<string, string[]>();
  if (ids.length === 0) return { byEmployer, sources };
  const e = employerExperience;
  const rows = await tx.orm
    .select()
    .from(e)
    .where(and(eq(e.regionCode, regionCode), inArray(e.employerId, [...ids])))
    .orderBy(asc(e.employerId), asc(e.year), asc(e.source));
  // Ordered by source, 'import' comes before 'system': the first row of a year wins.
  for (const r of rows) {
    const list = byEmployer.get(r.employerId) ?? [];
    if (list.at(-1)?.year === r.year) {
      sources.get(r.employerId)?.push(`${r.year}: system row not used (the import overrides it)`);
      continue;
    }
    list.push(r);
    byEmployer.set(r.employerId, list);
    sources.set(r.employerId, [...(sources.get(r.employerId) ?? []), `${r.year}: ${r.source}`]);
  }
  return { byEmployer, sources };
}

function checkRun(input: ReviewRun): Result<true, FloatingReviewRefusal> {
  if (input.regionCode.endsWith('0000'))
    return refuse(
      'floating_review.not_in_city',
      'a floating-rate review is run for a city (its agency sets the rates: 《浙江省工伤保险条例》第九条); give a city code',
    );
  if (Number(input.effectiveFrom.slice(0, 4)) !== input.year)
    return refuse(
      'floating_review.effective_outside_year',
      `the effective date ${input.effectiveFrom} is not in the review year ${input.year}`,
      { year: input.year, effectiveFrom: input.effectiveFrom },
    );
  return ok(true);
}

/** Maker: computes and stores a city's review for a year and asks for its approval. */
export async function runFloatingReview(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: ReviewRun,
): Promise<Result<FloatingReviewView, FloatingReviewRefusal>> {
  const checked = checkRun(input);
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    // Two runs of the same city and year at once: the second waits and then supersedes the first,
    // instead of both passing the live-review check and one failing on the unique index.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `floating_review:${input.regionCode}:${input.year}`,
    ]);
    const live = await liveReview(tx, input.regionCode, input.year);
    if (live?.status === 'applied')
      return refuse(
        'floating_review.already_applied',
        `the ${input.year} review of ${input.regionCode} was applied already (${live.id}); a correction is a grade change of the employer`,
        { reviewId: live.id },
      );
    const id = `frv_${input.regionCode}_${randomBytes(8).toString('hex')}`;
    const items = await computeItems(tx, rules, input, id);
    if (!items.ok) return items;
    if (live) await supersede(tx, live);
    const review = await storeReview(tx, actor, input, id, items.value);
    const approval = await requestApproval(tx, actor, {
      regionCode: input.regionCode,
      action: FLOATING_REVIEW_ACTION,
      payload: floatingReviewPayload(review),
      amountFen: null,
      policy: input.policy,
    });
    await tx.orm
      .update(floatingReviews)
      .set({ approvalId: approval.id })
      .where(and(eq(floatingReviews.regionCode, review.regionCode), eq(floatingReviews.id, id)));
    await appendAudit(
      tx,
      okEventOf(actor, 'contributions.floating_review.run', objectOf(review), {
        year: input.year,
        effectiveFrom: input.effectiveFrom,
        proposals: review.proposalCount,
        changed: review.changedCount,
        leftOut: review.leftOutCount,
        approvalId: approval.id,
      }),
    );
    return ok(reviewViewOf({ ...review, approvalId: approval.id }, items.value));
  });
}

async function computeItems(
  tx: Executor,
  rules: RuleSet,
  input: ReviewRun,
  id: string,
): Promise<Result<ItemInsert[], 'rules.parameter_missing'>> {
  // Cancelled (注销) employers pay nothing and get no grade; suspended ones keep theirs reviewed.
  const list = await tx.orm
    .select()
    .from(employers)
    .where(and(eq(employers.regionCode, input.regionCode), ne(employers.status, 'cancelled')))
    .orderBy(asc(employers.id));
  const experience = await experienceOf(
    tx,
    input.regionCode,
    list.map((e) => e.id),
  );
  const items: ItemInsert[] = [];
  for (const e of list) {
    const item = itemOf(rules, e, experience.byEmployer.get(e.id) ?? [], {
      id,
      year: input.year,
      effectiveFrom: input.effectiveFrom,
    });
    if (!item.ok) return item;
    const sources = experience.sources.get(e.id);
    // Where each year's figures came from (system or import), first in the trail.
    if (sources) item.value.trail = [`experience ${sources.join('; ')}`, ...item.value.trail];
    items.push(item.value);
  }
  return ok(items);
}

async function storeReview(
  tx: Executor,
  actor: Actor,
  input: ReviewRun,
  id: string,
  items: readonly ItemInsert[],
): Promise<ReviewRow> {
  const proposed = items.filter((i) => i.outcome === 'proposed');
  const [review] = await tx.orm
    .insert(floatingReviews)
    .values({
      regionCode: input.regionCode,
      id,
      reviewYear: input.year,
      effectiveFrom: input.effectiveFrom,
      status: 'proposed',
      proposalsHash: proposalsHashOf(items),
      proposalCount: proposed.length,
      changedCount: proposed.filter((i) => i.proposedGrade !== i.currentGrade).length,
      leftOutCount: items.length - proposed.length,
      createdBy: actor.userId,
    })
    .returning();
  if (!review) throw new Error('the review insert returned no row');
  for (let i = 0; i < items.length; i += 500)
    await tx.orm.insert(floatingReviewItems).values(items.slice(i, i + 500));
  return review;
}

async function supersede(tx: Executor, live: ReviewRow): Promise<void> {
  await tx.orm
    .update(floatingReviews)
    .set({ status: 'superseded' })
    .where(and(eq(floatingReviews.regionCode, live.regionCode), eq(floatingReviews.id, live.id)));
}

async function liveReview(tx: Executor, regionCode: string, year: number) {
  const [row] = await tx.orm
    .select()
    .from(floatingReviews)
    .where(
      and(
        eq(floatingReviews.regionCode, regionCode),
        eq(floatingReviews.reviewYear, year),
        inArray(floatingReviews.status, ['proposed', 'applied']),
      ),
    )
    .for('update');
  return row ?? null;
}

function objectOf(r: { regionCode: string; id: string }): string {
  return `floating_review/${r.regionCode}/${r.id}`;
}

export type FloatingReviewItemView = Omit<ItemRow, 'regionCode' | 'reviewId'>;

export type FloatingReviewView = {
  regionCode: string;
  id: string;
  year: number;
  effectiveFrom: IsoDate;
  status: ReviewRow['status'];
  proposalsHash: string;
  proposalCount: number;
  changedCount: number;
  leftOutCount: number;
  approvalId: string | null;
  createdAt: string;
  appliedAt: string | null;
  items: FloatingReviewItemView[];
};

export function reviewViewOf(r: ReviewRow, items: readonly ItemInsert[]): FloatingReviewView {
  return {
    regionCode: r.regionCode,
    id: r.id,
    year: r.reviewYear,
    effectiveFrom: r.effectiveFrom,
    status: r.status,
    proposalsHash: r.proposalsHash,
    proposalCount: r.proposalCount,
    changedCount: r.changedCount,
    leftOutCount: r.leftOutCount,
    approvalId: r.approvalId,
    createdAt: r.createdAt.toISOString(),
    appliedAt: r.appliedAt ? r.appliedAt.toISOString() : null,
    items: items.map(itemView),
  };
}

function itemView(i: ItemInsert): FloatingReviewItemView {
  return {
    employerId: i.employerId,
    employerName: i.employerName,
    creditCode: i.creditCode,
    outcome: i.outcome,
    riskClass: i.riskClass ?? null,
    currentGrade: i.currentGrade,
    proposedGrade: i.proposedGrade ?? null,
    windowYears: i.windowYears,
    contributionsFen: i.contributionsFen ?? null,
    benefitCostsFen: i.benefitCostsFen ?? null,
    injuries: i.injuries ?? null,
    headcountYears: i.headcountYears ?? null,
    ratio: i.ratio ?? null,
    incidence: i.incidence ?? null,
    trail: i.trail,
    citations: i.citations,
    leftOutReason: i.leftOutReason ?? null,
    application: i.application ?? null,
    applicationNote: i.applicationNote ?? null,
  };
}

/** A review with its items (proposals first, by employer name), in a city or the province. */
export async function getFloatingReview(
  db: Database,
  input: { regionCode: string; reviewId: string },
): Promise<FloatingReviewView | null> {
  return db.withConnection(async (ex) => {
    const review = await reviewRow(ex, input.regionCode, input.reviewId, false);
    if (!review) return null;
    return reviewViewOf(review, await itemsOf(ex, review));
  });
}

export async function reviewRow(
  ex: Executor,
  regionCode: string,
  id: string,
  lock: boolean,
): Promise<ReviewRow | null> {
  const where = and(
    withinRegion(floatingReviews.regionCode, regionCode),
    eq(floatingReviews.id, id),
  );
  const rows = lock
    ? await ex.orm.select().from(floatingReviews).where(where).for('update')
    : await ex.orm.select().from(floatingReviews).where(where);
  return rows[0] ?? null;
}

export async function itemsOf(ex: Executor, review: ReviewRow): Promise<ItemRow[]> {
  return ex.orm
    .select()
    .from(floatingReviewItems)
    .where(
      and(
        eq(floatingReviewItems.regionCode, review.regionCode),
        eq(floatingReviewItems.reviewId, review.id),
      ),
    )
    .orderBy(desc(floatingReviewItems.outcome), asc(floatingReviewItems.employerName));
}

/** The reviews of a city (or of the province's cities), newest first, without their items. */
export async function listFloatingReviews(
  db: Database,
  input: { regionCode: string },
): Promise<Omit<FloatingReviewView, 'items'>[]> {
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(floatingReviews)
      .where(withinRegion(floatingReviews.regionCode, input.regionCode))
      .orderBy(desc(floatingReviews.createdAt))
      .limit(200),
  );
  return rows.map((r) => {
    const { items: _items, ...rest } = reviewViewOf(r, []);
    return rest;
  });
}
