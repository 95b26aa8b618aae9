import type { Database, Executor } from '../../db/client.ts';
import { boolOf, intOrNullOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import type { JsonObject, MessageAnswer } from './his-messages.ts';
import type { Envelope, SessionRefusalCode } from './his-session.ts';
import { runSigned } from './his-visits.ts';
import { escapeLike } from './settlement-institutions.ts';

/**
 * 1301 批量数据下载 (docs/settlement-messages.md): the reference data an institution settles
 * against, a page at a time — the province's catalogue (national codes, 甲/乙, limits, price caps,
 * validity) or the institution's own code maps, never another institution's. Keyset paging on
 * (code, validFrom), the table's own key order, so a page never skips or repeats a row however
 * far the download goes; the answer is stored like every message's, hence the page limit.
 */
export type DownloadBody = {
  dataset: 'catalogue' | 'codeMaps';
  asOf: IsoDate;
  changedSince?: IsoDate | undefined;
  kind?: 'drug' | 'service' | 'rehabilitation' | 'device' | undefined;
  codePrefix?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};

/** Big enough for a HIS to fill its table in a few hundred pages, small enough to store. */
export const DOWNLOAD_DEFAULT_LIMIT = 100;

type Dataset = {
  table: string;
  key: string;
  columns: string;
  scoped: boolean;
  row: (r: Row) => JsonObject;
};

const DATASETS: Record<DownloadBody['dataset'], Dataset> = {
  catalogue: {
    table: 'settlement_catalogue_items',
    key: 'code',
    columns: 'code, kind, name, drug_class, unit, price_cap_fen, quantity_limit',
    scoped: false,
    row: (r) => ({
      code: textOf(r, 'code'),
      kind: textOf(r, 'kind'),
      name: textOf(r, 'name'),
      drugClass: textOrNullOf(r, 'drug_class'),
      unit: textOf(r, 'unit'),
      priceCapFen: intOrNullOf(r, 'price_cap_fen'),
      quantityLimit: intOrNullOf(r, 'quantity_limit'),
    }),
  },
  codeMaps: {
    table: 'settlement_code_maps',
    key: 'own_code',
    columns: 'own_code, catalogue_code',
    scoped: true,
    row: (r) => ({ ownCode: textOf(r, 'own_code'), catalogueCode: textOf(r, 'catalogue_code') }),
  },
};

/**
 * Which rows: without `changedSince`, the rows in force on `asOf`. With it (S), the rows whose
 * validity or price changed from S to `asOf` (A): a row taking effect in [S, A] (a new price is a
 * new row), a row ceasing in it (valid_to from S − 1 to A − 1: not in force on A any more), or a
 * row recorded on or after S (China date) that starts by A — a late-recorded change is not missed.
 */
function windowSql(b: DownloadBody, p: (v: unknown) => string): string {
  const asOf = `${p(b.asOf)}::date`;
  if (b.changedSince === undefined)
    return `valid_from <= ${asOf} AND (valid_to IS NULL OR valid_to >= ${asOf})`;
  const since = `${p(b.changedSince)}::date`;
  return `valid_from <= ${asOf} AND (valid_from >= ${since}
      OR (valid_to >= ${since} - 1 AND valid_to < ${asOf})
      OR (created_at AT TIME ZONE 'Asia/Shanghai')::date >= ${since})`;
}

async function page(ex: Executor, institutionId: string, b: DownloadBody, limit: number) {
  const d = DATASETS[b.dataset];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [windowSql(b, p)];
  if (d.scoped) where.push(`institution_id = ${p(institutionId)}`);
  if (b.kind !== undefined) where.push(`kind = ${p(b.kind)}`);
  if (b.codePrefix !== undefined) where.push(`${d.key} LIKE ${p(`${escapeLike(b.codePrefix)}%`)}`);
  if (b.cursor !== undefined)
    where.push(
      `(${d.key}, valid_from) > (${p(b.cursor.slice(11))}, ${p(b.cursor.slice(0, 10))}::date)`,
    );
  const asOf = p(b.asOf);
  const r = await ex.query(
    `SELECT ${d.columns}, valid_from::text AS valid_from, valid_to::text AS valid_to,
            (valid_from <= ${asOf}::date AND (valid_to IS NULL OR valid_to >= ${asOf}::date)) AS in_force
       FROM ${d.table} WHERE ${where.join(' AND ')}
      ORDER BY ${d.key}, valid_from LIMIT ${p(limit + 1)}`,
    params,
  );
  return r.rows;
}

/** 1301 批量数据下载: one page, and the cursor of the next (null on the last page). */
export async function downloadReference(
  db: Database,
  actor: Actor,
  envelope: Envelope,
  body: DownloadBody,
): Promise<Result<MessageAnswer, SessionRefusalCode>> {
  return runSigned<SessionRefusalCode>(db, actor, '1301', envelope, body, async (tx, inst) => {
    const limit = body.limit ?? DOWNLOAD_DEFAULT_LIMIT;
    const d = DATASETS[body.dataset];
    const rows = await page(tx, inst, body, limit);
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return ok({
      dataset: body.dataset,
      asOf: body.asOf,
      changedSince: body.changedSince ?? null,
      rows: shown.map((r) => ({
        ...d.row(r),
        validFrom: textOf(r, 'valid_from'),
        validTo: textOrNullOf(r, 'valid_to'),
        inForce: boolOf(r, 'in_force'),
      })),
      nextCursor:
        rows.length > limit && last ? `${textOf(last, 'valid_from')}:${textOf(last, d.key)}` : null,
    });
  });
}
