import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { regions } from '../../db/schema.ts';
import {
  planSyntheticProvince,
  type SyntheticConfig,
} from '../../domain/registry/synthetic/synthetic-plan.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { type FileCounts, writeSyntheticProvinceFiles } from './synthetic-province-files.ts';
import { type LoadCounts, loadSyntheticRegister } from './synthetic-register-load.ts';

/**
 * `tongchou generate`: a deterministic synthetic province as files, into the database's register,
 * or both, from one plan (so the files and the rows hold the same register). The load is one
 * transaction with its audit event: a failure leaves nothing half-loaded.
 */
export type GenerateRefusal =
  | 'synthetic.invalid_config'
  | 'synthetic.no_wage'
  | 'synthetic.no_risk_class'
  | 'synthetic.unknown_city';

export type GenerateInput = {
  config: SyntheticConfig;
  out?: { dir: string; perEmployerFiles: boolean } | undefined;
  intoDb: boolean;
  chunkRows?: number | undefined;
  onProgress?: ((what: string, rows: number) => void) | undefined;
};

export type GenerateReport = { files: FileCounts | null; database: LoadCounts | null };

function provinceOfCities(config: SyntheticConfig): string {
  return `${config.cities[0]?.code.slice(0, 2) ?? '00'}0000`;
}

/** Every city of the configuration must be a city row of the register's regions table. */
async function checkCities(db: Database, codes: string[]): Promise<string[]> {
  const found = await db.withConnection((ex) =>
    ex.orm.select({ code: regions.code }).from(regions).where(inArray(regions.code, codes)),
  );
  const known = new Set(found.map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}

export async function generateSyntheticProvince(
  db: Database | null,
  actor: Actor,
  rules: RuleSet,
  input: GenerateInput,
): Promise<Result<GenerateReport, GenerateRefusal>> {
  const plan = planSyntheticProvince(input.config, rules);
  if (!plan.ok) return plan;
  let database: LoadCounts | null = null;
  if (input.intoDb && db !== null) {
    const missing = await checkCities(
      db,
      input.config.cities.map((c) => c.code),
    );
    if (missing.length > 0)
      return refuse(
        'synthetic.unknown_city',
        `cities ${missing.join(', ')} are not in the regions table: run tongchou init (or seed) first`,
        { cities: missing },
      );
    database = await db.transaction(async (tx) => {
      const counts = await loadSyntheticRegister(tx, plan.value, {
        by: actor.userId,
        chunkRows: input.chunkRows,
        onProgress: input.onProgress,
      });
      const { seed, employers, workers, months, from } = input.config;
      await appendAudit(
        tx,
        okEventOf(actor, 'registry.generate', `province/${provinceOfCities(input.config)}`, {
          seed,
          months,
          from,
          asked: { employers, workers },
          loaded: counts,
        }),
      );
      return counts;
    });
  }
  const files = input.out ? await writeSyntheticProvinceFiles(plan.value, rules, input.out) : null;
  return ok({ files, database });
}
