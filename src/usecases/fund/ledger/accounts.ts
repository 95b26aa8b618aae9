import type { Database, Executor } from '../../../db/client.ts';
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
  name_en: string;
  level: string;
  parent_code: string | null;
};

async function ensureSegment(
  tx: Executor,
  code: string,
  kind: SegmentKind,
  region: RegionRow,
  province: string,
): Promise<boolean> {
  const adj = kind === 'adjustment';
  const r = await tx.query(
    `INSERT INTO ledger_segments (code, kind, region, province, name, name_en)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [
      code,
      kind,
      region.code,
      province,
      adj ? `${region.name}工伤保险调剂金` : `${region.name}工伤保险基金`,
      adj ? `${region.name_en} adjustment fund` : `${region.name_en} work-injury insurance fund`,
    ],
  );
  return r.rowCount > 0;
}

async function insertAccounts(tx: Executor, defs: readonly AccountDefinition[]): Promise<number> {
  if (defs.length === 0) return 0;
  const r = await tx.query<{ id: number; segment_id: number }>(
    `INSERT INTO ledger_accounts (segment_id, code, chart_code, counterparty_segment_id, type, normal_side, name, name_en)
     SELECT s.id, d.code, d.chart_code, c.id, d.type, d.normal_side, d.name, d.name_en
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              AS d(segment, code, chart_code, counterparty, type, normal_side, name, name_en)
       JOIN ledger_segments s ON s.code = d.segment
       LEFT JOIN ledger_segments c ON c.code = d.counterparty
     ON CONFLICT (segment_id, code) DO NOTHING
     RETURNING id, segment_id`,
    [
      defs.map((d) => d.segment),
      defs.map((d) => d.code),
      defs.map((d) => d.chartCode),
      defs.map((d) => d.counterparty),
      defs.map((d) => d.type),
      defs.map((d) => d.normalSide),
      defs.map((d) => d.name),
      defs.map((d) => d.nameEn),
    ],
  );
  if (r.rows.length > 0)
    await tx.query(
      `INSERT INTO ledger_balances (account_id, segment_id)
       SELECT * FROM unnest($1::int4[], $2::int2[])`,
      [r.rows.map((x) => x.id), r.rows.map((x) => x.segment_id)],
    );
  return r.rows.length;
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
    const reg = await tx.query<RegionRow>(
      'SELECT code, name, name_en, level, parent_code FROM regions WHERE code = $1',
      [input.regionCode],
    );
    const region = reg.rows[0];
    if (!region)
      return refuse('ledger.unknown_region', `region ${input.regionCode} is not in regions`, {
        regionCode: input.regionCode,
      });
    const segmentsCreated: string[] = [];
    let defs: AccountDefinition[];
    if (region.level === 'province') {
      const cities = await tx.query<{ code: string }>(
        `SELECT s.code FROM ledger_segments s WHERE s.province = $1 AND s.kind = 'city' ORDER BY s.code`,
        [region.code],
      );
      const cityCodes = cities.rows.map((c) => c.code);
      const adj = adjustmentSegmentCode(region.code);
      if (await ensureSegment(tx, region.code, 'province', region, region.code))
        segmentsCreated.push(region.code);
      if (await ensureSegment(tx, adj, 'adjustment', region, region.code))
        segmentsCreated.push(adj);
      defs = [...accountsForSegment(region.code, cityCodes), ...accountsForSegment(adj, cityCodes)];
    } else {
      const province = region.parent_code;
      if (!province || segmentKindOf(region.code) !== 'city')
        return refuse(
          'ledger.unknown_region',
          `region ${region.code} is not a city of a province`,
          {
            regionCode: region.code,
          },
        );
      const prov = await tx.query('SELECT 1 FROM ledger_segments WHERE code = $1', [province]);
      if (prov.rows.length === 0)
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
