import { z } from 'zod';
import { KEY_SETS } from '../../rules/parameters/model.ts';
import { caseId } from '../cases/appraisal-contract.ts';
import { isoDate, regionCode } from '../common.ts';
import { personRevealBody, personRevealResponse } from '../registry/persons-contract.ts';

/**
 * The death facts of a case (因工死亡, issue 11; docs/benefits.md "Death cases"): the request and
 * answer schemas of `/regions/:regionCode/cases/:caseId/death-facts`. Shapes only; the checks
 * against the case and between the dependants (ID numbers, birth dates, one spouse) are the use
 * case's, each reported with its path.
 */
export const deathFactsParams = z.strictObject({ regionCode, caseId });

const dependantId = z
  .string()
  .regex(/^dep_[0-9]{6}_[0-9a-f]{16}$/, 'a dependant id dep_<city>_<16 hex>');

/**
 * POST …/cases/:caseId/dependants/:dependantId/reveal: one dependant's full ID number for a holder
 * of pii:reveal, the same body (the reason, audited) and answer as the person reveal.
 */
export const dependantRevealParams = z.strictObject({ regionCode, caseId, dependantId });
export const dependantRevealBody = personRevealBody;
export const dependantRevealResponse = personRevealResponse;

export const relation = z.enum([
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
]);
const circumstance = z.enum(['injury', 'within_suspension', 'grade1to4_after_suspension']);

export const dependantBody = z.strictObject({
  /** 姓名 as on the 户口簿. */
  name: z.string().trim().min(1).max(50),
  relation,
  /** 公民身份号码, 18 characters (checked against GB 11643 by the use case). */
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
  birthDate: isoDate,
  /** 孤寡老人或者孤儿 (《工伤保险条例》第三十九条第一款第（二）项). */
  orphanOrSoleElder: z.boolean().default(false),
  /** 养子女 or 养父母 (a child or a parent only): 河南 asks them for the adoption's 公证书. */
  adoptive: z.boolean().default(false),
});

export const deathFactsBody = z.strictObject({
  /** 死亡日期, from the death certificate. */
  diedOn: isoDate,
  /** Which paragraph of 《工伤保险条例》第三十九条 applies (the calculator's deathCircumstance). */
  circumstance,
  /** 因工死亡职工生前的工资 in fen (the survivors' cap); omitted: the average of the wage months. */
  preDeathMonthlyWageFen: z.number().int().positive().max(100_000_000_000).nullable().default(null),
  /** 供养亲属, in order (the calculator numbers them so); may be empty. */
  dependants: z.array(dependantBody).max(20),
});
export type DeathFactsBody = z.input<typeof deathFactsBody>;

const evidenceKind = z.enum(KEY_SETS.survivor_evidence);

export const deathFactsResponse = z.object({
  caseId: z.string(),
  diedOn: z.string(),
  circumstance,
  preDeathMonthlyWageFen: z.number().int().nullable(),
  recordedBy: z.string(),
  dependants: z.array(
    z.object({
      id: z.string(),
      ordinal: z.number().int(),
      name: z.string(),
      relation,
      /** Masked (330102********1234): only an audited reveal route answers a full number. */
      idNumberMasked: z.string(),
      birthDate: z.string(),
      orphanOrSoleElder: z.boolean(),
      adoptive: z.boolean(),
    }),
  ),
  /**
   * The survivors' papers per current dependant (《河南省工伤保险条例》第三十四条第二款): asked for,
   * on file, missing — the rule the death decision's approval checks; null where the province asks
   * none.
   */
  survivorEvidence: z
    .object({
      citation: z.string(),
      dependants: z.array(
        z.object({
          dependantId: z.string(),
          required: z.array(evidenceKind),
          onFile: z.array(evidenceKind),
          missing: z.array(evidenceKind),
        }),
      ),
    })
    .nullable(),
});
export type DeathFactsResponse = z.output<typeof deathFactsResponse>;

/** `tongchou benefits death-facts show|record` options (the record's facts come as a JSON file). */
export const deathFactsCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  as: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
});
