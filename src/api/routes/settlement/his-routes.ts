import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  amendVisitMessage,
  cancelLinesMessage,
  cancelReferralMessage,
  cancelSettlementMessage,
  detailMessage,
  downloadMessage,
  fileReferralMessage,
  hisAnswer,
  identifyMessage,
  openVisitMessage,
  queryReferralsMessage,
  recentVisitsMessage,
  reversalMessage,
  settleMessage,
  signInMessage,
  signOutMessage,
  totalsMessage,
  uploadLinesMessage,
  visitLinesMessage,
  visitMessage,
} from '../../../contract/settlement/his-messages.ts';
import type { Database } from '../../../db/client.ts';
import type { Actor } from '../../../identity/actor.ts';
import type { Result } from '../../../kernel/result.ts';
import { downloadReference } from '../../../usecases/settlement/his-downloads.ts';
import type { MessageAnswer } from '../../../usecases/settlement/his-messages.ts';
import { reconcileDetail, reconcileTotals } from '../../../usecases/settlement/his-queries.ts';
import {
  cancelReferral,
  fileReferral,
  queryReferrals,
} from '../../../usecases/settlement/his-referrals.ts';
import { cancelSettlement, reverseMessage } from '../../../usecases/settlement/his-reverse.ts';
import {
  type Envelope,
  identifyPatient,
  signIn,
  signOut,
} from '../../../usecases/settlement/his-session.ts';
import { preSettle } from '../../../usecases/settlement/his-settle.ts';
import { settle } from '../../../usecases/settlement/his-settle-batch.ts';
import {
  feeDetails,
  prescriptionDetails,
  recentVisits,
} from '../../../usecases/settlement/his-visit-reads.ts';
import {
  amendVisit,
  cancelLines,
  cancelVisit,
  openVisit,
  uploadLines,
} from '../../../usecases/settlement/his-visits.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The institutions' transaction set (docs/settlement-messages.md): one POST route per transaction
 * code under /api/v1/settlement/his/, called by the institution's own system with its API token
 * (bill:submit). The institution is the token's scope, never a field of the body.
 */
type MessageSchema = z.ZodType<{
  version: 1;
  serial: string;
  signInId?: string | undefined;
  body: unknown;
}>;

const signInExample = 'sgn_0000000000000000';
const visitExample = 'vis_0000000000000000';

function messageRoute<S extends MessageSchema>(
  app: FastifyInstance,
  spec: { code: string; summary: string; schema: S; body: z.output<S>['body'] },
  run: (
    db: Database,
    actor: Actor,
    envelope: Envelope,
    body: z.output<S>['body'],
  ) => Promise<Result<MessageAnswer>>,
): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `/api/v1/settlement/his/${spec.code}`,
      access: { kind: 'permission', permission: 'bill:submit' },
      action: `settlement.his.${spec.code}`,
      summary: spec.summary,
      tags: ['settlement'],
      schema: { body: spec.schema, response: { 200: hisAnswer } },
      example: () => ({
        body: {
          version: 1,
          serial: `EX${spec.code}`,
          ...(spec.code === '9001' ? {} : { signInId: signInExample }),
          body: spec.body,
        },
      }),
    },
    async (request) => {
      // Validated already by the route's schema; parsed again here only to give the generic
      // handler its type without a cast (the schemas are small, the cost a few microseconds).
      const { version, serial, signInId, body } = spec.schema.parse(request.body);
      const out = await run(app.deps.db, request.actor!, { version, serial, signInId }, body);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      // Only the answer's own fields: some use cases hand back their whole message key, whose
      // institution id is the caller's own scope and no part of the answer.
      const { txCode, serial: answered, replayed, body: answer } = out.value;
      return { txCode, serial: answered, replayed, body: answer };
    },
  );
}

export function registerHisRoutes(app: FastifyInstance): void {
  registerSession(app);
  registerVisits(app);
  registerSettlement(app);
  registerReferrals(app);
  registerReads(app);
}

function registerSession(app: FastifyInstance): void {
  messageRoute(
    app,
    {
      code: '9001',
      summary: '签到 sign-in of an operator: the answer’s signInId rides every later message',
      schema: signInMessage,
      body: { operator: '收费员01' },
    },
    signIn,
  );
  messageRoute(
    app,
    {
      code: '9002',
      summary: '签退 sign-out: later messages naming this sign-in are refused',
      schema: signOutMessage,
      body: {},
    },
    (db, a, e) => signOut(db, a, e),
  );
  messageRoute(
    app,
    {
      code: '1101',
      summary:
        '读卡 identify a patient by 社会保障号码 or electronic card code: masked name and ID, accepted cases',
      schema: identifyMessage,
      body: { idNumber: '330102198004020011' },
    },
    identifyPatient,
  );
}

function registerVisits(app: FastifyInstance): void {
  messageRoute(
    app,
    {
      code: '2201',
      summary: '登记 open a visit against an accepted case, under the agreement in force',
      schema: openVisitMessage,
      body: {
        caseId: 'cas_330100_0000000000000000',
        hisVisitNo: 'ZY0001',
        kind: 'inpatient',
        openedOn: '2026-01-06',
        diagnosisCode: 'S82.2',
      },
    },
    openVisit,
  );
  messageRoute(
    app,
    {
      code: '2202',
      summary: '登记撤销 cancel an open visit',
      schema: visitMessage,
      body: { visitId: visitExample },
    },
    cancelVisit,
  );
  messageRoute(
    app,
    {
      code: '2203',
      summary: '登记信息修改 amend the discharge date or the diagnosis of an open visit',
      schema: amendVisitMessage,
      body: { visitId: visitExample, closedOn: '2026-01-20' },
    },
    amendVisit,
  );
  messageRoute(
    app,
    {
      code: '2204',
      summary: '明细上报 upload a batch of fee lines (all or none)',
      schema: uploadLinesMessage,
      body: {
        visitId: visitExample,
        lines: [
          {
            lineNo: 1,
            ownCode: 'H-DRUG',
            name: '药品',
            servedOn: '2026-01-07',
            quantityMilli: 2000,
            unitPriceFen: 800,
            amountFen: 1600,
          },
        ],
      },
    },
    uploadLines,
  );
  messageRoute(
    app,
    {
      code: '2205',
      summary: '明细撤销 cancel active fee lines',
      schema: cancelLinesMessage,
      body: { visitId: visitExample, lineNos: [1] },
    },
    cancelLines,
  );
}

function registerSettlement(app: FastifyInstance): void {
  const settleBody = { visitId: visitExample, lineCount: 1, claimedFen: 1600 };
  messageRoute(
    app,
    {
      code: '2206',
      summary: '费用预结算 pre-settle: the adjudication, nothing written but the message',
      schema: settleMessage,
      body: settleBody,
    },
    (db, a, e, b) => preSettle(db, app.deps.rules.benefits, a, e, b),
  );
  messageRoute(
    app,
    {
      code: '2207',
      summary: '费用结算 settle: the settlement and its ledger transaction, atomically',
      schema: settleMessage,
      body: settleBody,
    },
    (db, a, e, b) => settle(db, app.deps.rules.benefits, a, e, b),
  );
  messageRoute(
    app,
    {
      code: '2208',
      summary:
        '结算撤销 cancel a settlement: a negative record and a correcting ledger transaction',
      schema: cancelSettlementMessage,
      body: { settlementId: 'stl_0000000000000000' },
    },
    cancelSettlement,
  );
  messageRoute(
    app,
    {
      code: '2209',
      summary:
        '冲正 technical reversal of an earlier message by (code, serial); a tombstone if never received',
      schema: reversalMessage,
      body: { txCode: '2207', serial: 'NEVER-SENT' },
    },
    reverseMessage,
  );
  messageRoute(
    app,
    {
      code: '1320',
      summary: '总额对账 totals reconciliation of a day or a month',
      schema: totalsMessage,
      body: { period: { day: '2026-01-07' }, count: 0, fundFen: 0 },
    },
    reconcileTotals,
  );
  messageRoute(
    app,
    {
      code: '1321',
      summary: '明细对账 detail reconciliation of a day or a month',
      schema: detailMessage,
      body: { period: { month: '2026-01' }, settlements: [] },
    },
    reconcileDetail,
  );
}

/** 转诊转院 2301–2303: the institution's referrals out of the city or county (第二十四条第二款). */
function registerReferrals(app: FastifyInstance): void {
  messageRoute(
    app,
    {
      code: '2301',
      summary: '转诊转院上传 file a referral of an accepted case out of the city or county',
      schema: fileReferralMessage,
      body: {
        caseId: 'cas_330100_0000000000000000',
        toRegionCode: '310000',
        toInstitution: '上海市第六人民医院',
        kind: 'treatment',
        reason: '断肢再植，本地无条件',
        referredOn: '2026-01-07',
        doctor: { name: '张医生', licence: '110330100000001' },
      },
    },
    fileReferral,
  );
  messageRoute(
    app,
    {
      code: '2302',
      summary: '转诊转院查询 the institution’s referrals and their status',
      schema: queryReferralsMessage,
      body: {},
    },
    queryReferrals,
  );
  messageRoute(
    app,
    {
      code: '2303',
      summary: '转诊转院撤销 cancel a referral the agency has not decided yet',
      schema: cancelReferralMessage,
      body: { referralId: 'ref_0000000000000000' },
    },
    cancelReferral,
  );
}

/** 1301 批量数据下载 and the 查询 9103–9105: reads, recorded and replayed as every message. */
function registerReads(app: FastifyInstance): void {
  messageRoute(
    app,
    {
      code: '1301',
      summary:
        '批量数据下载 a page of the catalogue or of the institution’s code maps as of a day (keyset: cursor, limit; changedSince)',
      schema: downloadMessage,
      body: { dataset: 'catalogue', asOf: '2026-01-07', kind: 'drug', limit: 100 },
    },
    downloadReference,
  );
  messageRoute(
    app,
    {
      code: '9103',
      summary:
        '费用明细查询 the fee lines of a visit with their adjudication, cancelled ones marked',
      schema: visitLinesMessage,
      body: { visitId: visitExample },
    },
    feeDetails,
  );
  messageRoute(
    app,
    {
      code: '9104',
      summary:
        '处方明细查询 the drug lines of a visit (mapped to a catalogue drug on the day served)',
      schema: visitLinesMessage,
      body: { visitId: visitExample },
    },
    prescriptionDetails,
  );
  messageRoute(
    app,
    {
      code: '9105',
      summary:
        '近期就诊查询 a patient’s recent visits at this institution, most recent first (ID number masked)',
      schema: recentVisitsMessage,
      body: { idNumber: '330102198004020011', limit: 10 },
    },
    recentVisits,
  );
}
