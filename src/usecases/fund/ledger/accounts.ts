import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { ledgerAccounts, ledgerBalances, ledgerSegments, regions } from '../../../db/schema.ts';
import {
  type AccountDefinition,
  accountsForSegment,
  adjustmentSegmentCode,
  type SegmentKind,
  segmentKindOf,
} from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { appendAudit } from '../../audit/audit-log.ts';

export type ProvisionResult = {
  /** Segments created now (existing ones are left as they are). */
  segmentsCreated: string[];
  accountsCreated: number;
  accountsExisting: number;
};

type RegionRow = {
  code: string;
  name: string;
  nameEn: string;
  level: string;
  parentCode: string | null;
};

async function ensureSegment(
  tx: Executor,
  code: string,
  kind: SegmentKind,
  region: RegionRow,
  province: string,
): Promise<boolean> {
  const adj = kind === 'adjustment';
  const r = await tx.orm
    .insert(ledgerSegments)
    .values({
      code,
      kind,
      region: region.code,
      province,
      name: adj ? `${region.name}工伤保险调剂金` : `${region.name}工伤保险基金`,
      nameEn: adj
        ? `${region.nameEn} adjustment fund`
        : `${region.nameEn} work-injury insurance fund`,
    })
    .onConflictDoNothing({ target: ledgerSegments.code })
    .returning({ id: ledgerSegments.id });
  return r.length > 0;
}

async function insertAccounts(tx: Executor, defs: readonly AccountDefinition[]): Promise<number> {
  if (defs.length === 0) return 0;
  const codes = [
    ...new Set(defs.flatMap((d) => [d.segment, ...(d.counterparty ? [d.counterparty] : [])])),
  ];
  const segs = await tx.orm
    .select({ id: ledgerSegments.id, code: ledgerSegments.code })
    .from(ledgerSegments)
    .where(inArray(ledgerSegments.code, codes));
  const segmentId = new Map(segs.map((x) => [x.code, x.id]));
  // A definition whose segment is not provisioned is skipped (the callers provision it first).
  const rows = defs.flatMap((d): (typeof ledgerAccounts.$inferInsert)[] => {
    const id = segmentId.get(d.segment);
    if (id === undefined) return [];
    return [
      {
        segmentId: id,
        code: d.code,
        chartCode: d.chartCode,
        counterpartySegmentId: d.counterparty ? (segmentId.get(d.counterparty) ?? null) : null,
        type: d.type,
        normalSide: d.normalSide,
        name: d.name,
        nameEn: d.nameEn,
      },
    ];
  });
  if (rows.length === 0) return 0;
  const r = await tx.orm
    .insert(ledgerAccounts)
    .values(rows)
    .onConflictDoNothing({ target: [ledgerAccounts.segmentId, ledgerAccounts.code] })
    .returning({ accountId: ledgerAccounts.id, segmentId: ledgerAccounts.segmentId });
  if (r.length > 0) await tx.orm.insert(ledgerBalances).values(r);
  return r.length;
}

/**
 * Provisions the ledger of a region, idempotently: for the province code, the province and
 * adjustment-fund segments; for a city code, the city segment plus the province's and adjustment
 * fund's due-from / due-to accounts for that city (so the province must be provisioned first).
 * The region rows must exist in `regions`. Refusals: ledger.unknown_region, ledger.unknown_segment.
 */
export async function provisionAccounts(
  db: Database,
  actor: Actor,
  input: { regionCode: string },
): Promise<Result<ProvisionResult, LedgerRefusalCode>> {
  return db.transaction(async (tx) => {
    const [region] = await tx.orm
      .select({
        code: regions.code,
        name: regions.name,
        nameEn: regions.nameEn,
        level: regions.level,
        parentCode: regions.parentCode,
      })
      .from(regions)
      .where(eq(regions.code, input.regionCode));
    if (!region)
      return refuse('ledger.unknown_region', `region ${input.regionCode} is not in regions`, {
        regionCode: input.regionCode,
      });
    const segmentsCreated: string[] = [];
    let defs: AccountDefinition[];
    if (region.level === 'province') {
      const cities = await tx.orm
        .select({ code: ledgerSegments.code })
        .from(ledgerSegments)
        .where(and(eq(ledgerSegments.province, region.code), eq(ledgerSegments.kind, 'city')))
        .orderBy(ledgerSegments.code);
      const cityCodes = cities.map((c) => c.code);
      const adj = adjustmentSegmentCode(region.code);
      if (await ensureSegment(tx, region.code, 'province', region, region.code))
        segmentsCreated.push(region.code);
      if (await ensureSegment(tx, adj, 'adjustment', region, region.code))
        segmentsCreated.push(adj);
      defs = [...accountsForSegment(region.code, cityCodes), ...accountsForSegment(adj, cityCodes)];
    } else {
      const province = region.parentCode;
      if (!province || segmentKindOf(region.code) !== 'city')
        return refuse(
          'ledger.unknown_region',
          `region ${region.code} is not a city of a province`,
          {
            regionCode: region.code,
          },
        );
      const prov = await tx.orm
        .select({ id: ledgerSegments.id })
        .from(ledgerSegments)
        .where(eq(ledgerSegments.code, province));
      if (prov.length === 0)
        return refuse(
          'ledger.unknown_segment',
          `provision the province ${province} before its city ${region.code}`,
          { segment: province },
        );
      if (await ensureSegment(tx, region.code, 'city', region, province))
        segmentsCreated.push(region.code);
      const adj = adjustmentSegmentCode(province);
      const mirror = (seg: string) =>
        accountsForSegment(seg, [region.code]).filter((d) => d.counterparty === region.code);
      defs = [...accountsForSegment(region.code, []), ...mirror(province), ...mirror(adj)];
    }
    const accountsCreated = await insertAccounts(tx, defs);
    if (accountsCreated > 0 || segmentsCreated.length > 0)
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'ledger.provision_accounts',
        object: `ledger/region/${region.code}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { segmentsCreated, accountsCreated },
      });
    return ok({
      segmentsCreated,
      accountsCreated,
      accountsExisting: defs.length - accountsCreated,
    });
  });
}
