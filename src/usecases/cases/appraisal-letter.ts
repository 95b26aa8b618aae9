import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { employers, regions, workers } from '../../db/schema.ts';
import { appraisalDraws } from '../../db/schema-appraisal.ts';
import { cases } from '../../db/schema-cases.ts';
import { conclusionLetterParagraphs } from '../../domain/cases/appraisal-letter.ts';
import type { ConclusionInput } from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import { provinceOf } from '../../kernel/region-codes.ts';
import { type IssuedLetter, issueLetter, type LetterRenderer } from '../letters/issue-letter.ts';
import { renderLetter } from '../letters/letter-layout.ts';
import type { AppraisalRow } from './appraisal-store.ts';

/**
 * The 劳动能力鉴定结论书 of a conclusion, issued in the conclusion's transaction as a numbered letter of
 * the case's city (docs/letters.md), addressed to the worker and the employer: 第二十五条第二款 "劳动能力
 * 鉴定结论应当及时送达申请鉴定的单位和个人".
 */
async function nameOf(tx: Executor, code: string): Promise<string> {
  const [r] = await tx.orm
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, code));
  return r?.name ?? code;
}

async function partiesOf(tx: Executor, row: AppraisalRow): Promise<string> {
  const [p] = await tx.orm
    .select({ worker: workers.name, employer: employers.name })
    .from(cases)
    .innerJoin(workers, eq(workers.id, cases.workerId))
    .innerJoin(
      employers,
      and(eq(employers.regionCode, cases.employerRegionCode), eq(employers.id, cases.employerId)),
    )
    .where(and(eq(cases.regionCode, row.regionCode), eq(cases.id, row.caseId)));
  if (!p) throw new Error(`case ${row.caseId} of appraisal ${row.id} has no worker or employer`);
  return `${p.worker}、${p.employer}`;
}

export async function issueConclusionLetter(
  tx: Executor,
  actor: Actor,
  row: AppraisalRow,
  conclusion: ConclusionInput,
  render: LetterRenderer = renderLetter,
): Promise<IssuedLetter> {
  const [draw] = await tx.orm
    .select({ panelSize: appraisalDraws.panelSize })
    .from(appraisalDraws)
    .where(
      and(eq(appraisalDraws.regionCode, row.regionCode), eq(appraisalDraws.appraisalId, row.id)),
    );
  const province = provinceOf(row.regionCode);
  const provinceCommitteeName = `${await nameOf(tx, province)}劳动能力鉴定委员会`;
  const committeeName =
    row.committeeLevel === 'province'
      ? provinceCommitteeName
      : `${await nameOf(tx, row.regionCode)}劳动能力鉴定委员会`;
  return issueLetter(
    tx,
    {
      regionCode: row.regionCode,
      letterType: 'appraisal_conclusion',
      issuedOn: conclusion.concludedOn,
      caseId: row.caseId,
      recipient: await partiesOf(tx, row),
      title: '劳动能力鉴定结论书',
      paragraphs: conclusionLetterParagraphs({
        kind: row.kind,
        committeeLevel: row.committeeLevel,
        committeeName,
        provinceCommitteeName,
        appliedOn: row.appliedOn,
        panelSize: draw?.panelSize ?? 0,
        conclusion,
      }),
      issuer: committeeName,
      recordedBy: actor.userId,
      actor,
    },
    render,
  );
}
