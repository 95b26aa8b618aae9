import type { z } from 'zod';
import type {
  applyResponse,
  panelResponse,
  paymentResponse,
  proposeBody,
  proposeResponse,
  recomputationResponse,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import type {
  deathFactsBody,
  deathFactsResponse,
} from '../../../contract/benefits/death-facts-contract.ts';
import type {
  regradeApplyResponse,
  regradeProposeResponse,
} from '../../../contract/benefits/regrade-contract.ts';
import type {
  survivorChangeApplyResponse,
  survivorChangeBody,
  survivorChangeListResponse,
  survivorChangeView,
} from '../../../contract/benefits/survivor-change-contract.ts';
import { ApiError, request } from '../../api/client.ts';

export type BenefitPanel = z.infer<typeof panelResponse>;
export type BenefitDecision = NonNullable<BenefitPanel['current']>;
export type BenefitPayment = BenefitPanel['payments'][number];
export type ProposeInput = z.input<typeof proposeBody>;
export type Proposal = z.infer<typeof proposeResponse>;
export type Applied = z.infer<typeof applyResponse>;
export type PaymentOutcome = z.infer<typeof paymentResponse>;
export type Recomputation = z.infer<typeof recomputationResponse>;
export type DeathFactsInput = z.input<typeof deathFactsBody>;
export type DeathFacts = z.infer<typeof deathFactsResponse>;
export type SurvivorChangeInput = z.input<typeof survivorChangeBody>;
export type SurvivorChange = z.infer<typeof survivorChangeView>;
export type ListedSurvivorChange = z.infer<typeof survivorChangeListResponse>['changes'][number];
export type SurvivorChangeApplied = z.infer<typeof survivorChangeApplyResponse>;
export type RegradeProposal = z.infer<typeof regradeProposeResponse>;
export type RegradeApplied = z.infer<typeof regradeApplyResponse>;

const enc = encodeURIComponent;
const region = (code: string) => `/api/v1/regions/${enc(code)}`;

/** The benefit decision routes (src/api/routes/benefits/), typed by the shared contract. */
export const benefitsApi = {
  panel: (regionCode: string, caseId: string) =>
    request<BenefitPanel>(`${region(regionCode)}/cases/${enc(caseId)}/benefit-decision`),
  propose: (regionCode: string, caseId: string, body: ProposeInput) =>
    request<Proposal>(`${region(regionCode)}/cases/${enc(caseId)}/benefit-decision`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  /** The case's death facts with its dependants (ID numbers masked); null: none recorded (404). */
  deathFacts: async (regionCode: string, caseId: string): Promise<DeathFacts | null> => {
    try {
      return await request<DeathFacts>(`${region(regionCode)}/cases/${enc(caseId)}/death-facts`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  /** One dependant's full ID number (pii:reveal; the reason is audited, a refusal too). */
  revealDependant: (regionCode: string, caseId: string, dependantId: string, reason: string) =>
    request<{ idNumber: string }>(
      `${region(regionCode)}/cases/${enc(caseId)}/dependants/${enc(dependantId)}/reveal`,
      { method: 'POST', body: { reason }, csrf: true },
    ),
  proposeSurvivorChange: (regionCode: string, dependantId: string, body: SurvivorChangeInput) =>
    request<SurvivorChange>(
      `${region(regionCode)}/dependants/${enc(dependantId)}/survivor-changes`,
      { method: 'POST', body, csrf: true },
    ),
  /** The changes proposed for the case's dependants, newest first, with their approval's state. */
  survivorChanges: (regionCode: string, caseId: string) =>
    request<{ changes: ListedSurvivorChange[] }>(
      `${region(regionCode)}/cases/${enc(caseId)}/survivor-changes`,
    ),
  /** Apply an approved change (fund:write): the server refuses one not approved or changed since. */
  applySurvivorChange: (regionCode: string, changeId: string) =>
    request<SurvivorChangeApplied>(
      `${region(regionCode)}/survivor-changes/${enc(changeId)}/apply`,
      { method: 'POST', body: {}, csrf: true },
    ),
  recordDeathFacts: (regionCode: string, caseId: string, body: DeathFactsInput) =>
    request<DeathFacts>(`${region(regionCode)}/cases/${enc(caseId)}/death-facts`, {
      method: 'PUT',
      body,
      csrf: true,
    }),
  apply: (regionCode: string, decisionId: string) =>
    request<Applied>(`${region(regionCode)}/benefit-decisions/${enc(decisionId)}/apply`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  /** A regrade after a changed re-appraisal or review (docs/benefits.md, "Regrade"). */
  regrade: (regionCode: string, caseId: string) =>
    request<RegradeProposal>(`${region(regionCode)}/cases/${enc(caseId)}/benefit-regrade`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  applyRegrade: (regionCode: string, decisionId: string) =>
    request<RegradeApplied>(`${region(regionCode)}/benefit-regrades/${enc(decisionId)}/apply`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  recompute: (regionCode: string, decisionId: string) =>
    request<Recomputation>(
      `${region(regionCode)}/benefit-decisions/${enc(decisionId)}/recomputation`,
    ),
  confirm: (
    regionCode: string,
    paymentId: string,
    body: { bankReference: string; paidOn: string },
  ) =>
    request<PaymentOutcome>(
      `${region(regionCode)}/benefit-payments/${enc(paymentId)}/confirmation`,
      { method: 'POST', body, csrf: true },
    ),
  fail: (regionCode: string, paymentId: string, reason: string) =>
    request<PaymentOutcome>(`${region(regionCode)}/benefit-payments/${enc(paymentId)}/failure`, {
      method: 'POST',
      body: { reason },
      csrf: true,
    }),
  reissue: (regionCode: string, paymentId: string) =>
    request<PaymentOutcome>(`${region(regionCode)}/benefit-payments/${enc(paymentId)}/reissue`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
};
