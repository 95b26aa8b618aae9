import type { z } from 'zod';
import type {
  arrearsResponse,
  assessmentListResponse,
  assessmentResponse,
  collectionImportResponse,
  collectionListResponse,
  collectionPostingResponse,
  forwardResponse,
  reconciliationResponse,
  resolutionBody,
} from '../../../contract/contributions/assessment-contract.ts';
import type {
  declarationListResponse,
  declarationReportResponse,
  declarationUploadResponse,
} from '../../../contract/contributions/declarations-contract.ts';
import type {
  floatingReviewListResponse,
  floatingReviewResponse,
} from '../../../contract/contributions/floating-review-contract.ts';
import type {
  offsetBody,
  offsetResponse,
  refundBody,
  refundFileListResponse,
  refundFileResponse,
  refundListResponse,
  refundResponse,
  refundReturnResponse,
} from '../../../contract/contributions/refund-contract.ts';
import { request, upload } from '../../api/client.ts';

export type DeclarationList = z.infer<typeof declarationListResponse>;
export type DeclarationSummary = DeclarationList['declarations'][number];
export type DeclarationUpload = z.infer<typeof declarationUploadResponse>;
export type DeclarationReport = z.infer<typeof declarationReportResponse>;
export type DeclarationProblem = DeclarationReport['problems'][number];
export type AssessmentList = z.infer<typeof assessmentListResponse>;
export type AssessmentLine = AssessmentList['assessments'][number];
export type AssessmentRun = z.infer<typeof assessmentResponse>;
export type CollectionList = z.infer<typeof collectionListResponse>;
export type CollectionRecord = CollectionList['records'][number];
export type CollectionImport = z.infer<typeof collectionImportResponse>;
export type CollectionPosting = z.infer<typeof collectionPostingResponse>;
export type Arrears = z.infer<typeof arrearsResponse>;
export type ArrearsLine = Arrears['arrears'][number];
export type Reconciliation = z.infer<typeof reconciliationResponse>;
export type Resolution = z.input<typeof resolutionBody>;
export type ForwardAnswer = z.infer<typeof forwardResponse>;
export type FloatingReview = z.infer<typeof floatingReviewResponse>;
export type FloatingReviewItem = FloatingReview['items'][number];
export type FloatingReviewList = z.infer<typeof floatingReviewListResponse>;
export type ExcessView = z.infer<typeof refundListResponse>;
export type RefundRow = ExcessView['refunds'][number];
export type OffsetRow = ExcessView['offsets'][number];
export type RefundRequest = z.input<typeof refundBody>;
export type RefundAnswer = z.infer<typeof refundResponse>;
export type OffsetRequest = z.input<typeof offsetBody>;
export type OffsetAnswer = z.infer<typeof offsetResponse>;
export type RefundFileRow = z.infer<typeof refundFileListResponse>['files'][number];
export type RefundFileIssued = z.infer<typeof refundFileResponse>;
export type RefundReturnAnswer = z.infer<typeof refundReturnResponse>;

/** A file's bytes as base64 (the collections import carries the file in JSON, GBK intact). */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Whose contributions a page shows: an employer's own user, or staff looking at one employer. */
export type EmployerRef = { kind: 'own' } | { kind: 'staff'; region: string; employerId: string };

function qs(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const enc = encodeURIComponent;

function regionBase(region: string): string {
  return `/api/v1/regions/${enc(region)}`;
}

/** Declarations of an employer: its own routes (employer role) or the region's (staff). */
function declarationsBase(ref: EmployerRef): string {
  return ref.kind === 'own'
    ? '/api/v1/employer/declarations'
    : `${regionBase(ref.region)}/employers/${enc(ref.employerId)}/declarations`;
}

function importBase(ref: EmployerRef): string {
  return ref.kind === 'own'
    ? '/api/v1/employer/declaration-imports'
    : `${regionBase(ref.region)}/declaration-imports`;
}

export const contributionsApi = {
  declarations: (ref: EmployerRef) => request<DeclarationList>(declarationsBase(ref)),
  uploadDeclaration: (
    ref: EmployerRef,
    month: string,
    file: File,
    onProgress: (sent: number, total: number) => void,
  ) =>
    upload<DeclarationUpload>(
      `${declarationsBase(ref)}${qs({ month, fileName: file.name })}`,
      file,
      onProgress,
    ),
  importReport: (ref: EmployerRef, importId: string) =>
    request<DeclarationReport>(`${importBase(ref)}/${enc(importId)}`),
  reportXlsxUrl: (ref: EmployerRef, importId: string) =>
    `${importBase(ref)}/${enc(importId)}/report.xlsx`,
  assessments: (ref: EmployerRef) =>
    request<AssessmentList>(
      ref.kind === 'own'
        ? '/api/v1/employer/contributions/assessments'
        : `${regionBase(ref.region)}/contributions/assessments${qs({ employerId: ref.employerId })}`,
    ),
  collections: (ref: EmployerRef) =>
    request<CollectionList>(
      ref.kind === 'own'
        ? '/api/v1/employer/contributions/collections'
        : `${regionBase(ref.region)}/contributions/collections${qs({ employerId: ref.employerId })}`,
    ),
  arrears: (ref: EmployerRef) =>
    request<Arrears>(
      ref.kind === 'own'
        ? '/api/v1/employer/contributions/arrears'
        : `${regionBase(ref.region)}/contributions/arrears${qs({ employerId: ref.employerId })}`,
    ),
  reconciliation: (region: string, month: string) =>
    request<Reconciliation>(`${regionBase(region)}/contributions/reconciliation${qs({ month })}`),
  cityArrears: (region: string) => request<Arrears>(`${regionBase(region)}/contributions/arrears`),
  unmatched: (region: string) =>
    request<CollectionList>(
      `${regionBase(region)}/contributions/collections${qs({ queue: 'true' })}`,
    ),
  importCollections: async (region: string, file: File) =>
    request<CollectionImport>(`${regionBase(region)}/contributions/collections/imports`, {
      method: 'POST',
      body: { fileName: file.name, contentBase64: await base64Of(file) },
      csrf: true,
    }),
  postCollections: (region: string, importId: string, approvalId?: string) =>
    request<CollectionPosting>(
      `${regionBase(region)}/contributions/collections/imports/${enc(importId)}/postings`,
      { method: 'POST', body: approvalId === undefined ? {} : { approvalId }, csrf: true },
    ),
  unposted: (region: string) =>
    request<CollectionList>(
      `${regionBase(region)}/contributions/collections${qs({ unposted: 'true' })}`,
    ),
  forward: (region: string, voucher: string, employerId?: string) =>
    request<ForwardAnswer>(
      `${regionBase(region)}/contributions/collections/${enc(voucher)}/forward`,
      { method: 'POST', body: employerId === undefined ? {} : { employerId }, csrf: true },
    ),
  resolve: (region: string, voucher: string, resolution: Resolution) =>
    request<CollectionRecord>(
      `${regionBase(region)}/contributions/collections/${enc(voucher)}/resolution`,
      { method: 'POST', body: resolution, csrf: true },
    ),
  assess: (region: string, month: string, approvalId?: string) =>
    request<AssessmentRun>(`${regionBase(region)}/contributions/assessments`, {
      method: 'POST',
      body: approvalId === undefined ? { month } : { month, approvalId },
      csrf: true,
    }),
  floatingReviews: (region: string) =>
    request<FloatingReviewList>(`${regionBase(region)}/contributions/floating-reviews`),
  floatingReview: (region: string, reviewId: string) =>
    request<FloatingReview>(
      `${regionBase(region)}/contributions/floating-reviews/${enc(reviewId)}`,
    ),
  runFloatingReview: (region: string, year: number, effectiveFrom: string) =>
    request<FloatingReview>(`${regionBase(region)}/contributions/floating-reviews`, {
      method: 'POST',
      body: { year, effectiveFrom },
      csrf: true,
    }),
  applyFloatingReview: (region: string, reviewId: string, approvalId: string) =>
    request<FloatingReview>(
      `${regionBase(region)}/contributions/floating-reviews/${enc(reviewId)}/apply`,
      {
        method: 'POST',
        body: { approvalId },
        csrf: true,
      },
    ),
  floatingLettersUrl: (region: string, reviewId: string, employerId?: string) =>
    `${regionBase(region)}/contributions/floating-reviews/${enc(reviewId)}/letters${employerId === undefined ? '' : `/${enc(employerId)}`}`,
  excess: (region: string, employerId: string) =>
    request<ExcessView>(`${regionBase(region)}/employers/${enc(employerId)}/contribution-refunds`),
  refund: (region: string, body: RefundRequest) =>
    request<RefundAnswer>(`${regionBase(region)}/contributions/refunds`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  refundFiles: (region: string) =>
    request<z.infer<typeof refundFileListResponse>>(
      `${regionBase(region)}/contributions/refund-files`,
    ),
  issueRefundFile: (region: string, day: string) =>
    request<RefundFileIssued>(`${regionBase(region)}/contributions/refund-files`, {
      method: 'POST',
      body: { day },
      csrf: true,
    }),
  refundFileUrl: (region: string, fileId: string) =>
    `${regionBase(region)}/contributions/refund-files/${enc(fileId)}/file.csv`,
  refundReturn: (region: string, fileId: string, text: string) =>
    request<RefundReturnAnswer>(
      `${regionBase(region)}/contributions/refund-files/${enc(fileId)}/returns`,
      { method: 'POST', body: { text }, csrf: true },
    ),
  offset: (region: string, body: OffsetRequest) =>
    request<OffsetAnswer>(`${regionBase(region)}/contributions/offsets`, {
      method: 'POST',
      body,
      csrf: true,
    }),
};
