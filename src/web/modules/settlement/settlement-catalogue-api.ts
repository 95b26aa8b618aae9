import type { z } from 'zod';
import type {
  CatalogueImport,
  CatalogueItem,
  catalogueImportReport,
  catalogueKinds,
  catalogueSearchResponse,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import { request, upload } from '../../api/client.ts';

export type { CatalogueImport, CatalogueItem };
export type CatalogueKind = (typeof catalogueKinds)[number];
export type CatalogueSearch = z.infer<typeof catalogueSearchResponse>;
export type CatalogueImportReport = z.infer<typeof catalogueImportReport>;
export type CatalogueFilter = {
  prefix?: string | undefined;
  kind?: CatalogueKind | undefined;
  date?: string | undefined;
};

const base = '/api/v1/settlement/catalogue';

/** The catalogue routes (src/api/routes/settlement/settlement-catalogue-routes.ts). */
export const catalogueApi = {
  search: (filter: CatalogueFilter, after: string | undefined, limit: number) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filter, after }))
      if (value !== undefined && value !== '') search.set(key, value);
    search.set('limit', String(limit));
    return request<CatalogueSearch>(`${base}/items?${search.toString()}`);
  },
  import: (file: File, onProgress: (sent: number, total: number) => void) =>
    upload<CatalogueImport>(
      `${base}/imports?fileName=${encodeURIComponent(file.name)}`,
      file,
      onProgress,
    ),
  report: (importId: string) =>
    request<CatalogueImportReport>(`${base}/imports/${encodeURIComponent(importId)}`),
  reportXlsxUrl: (importId: string) =>
    `${base}/imports/${encodeURIComponent(importId)}/report.xlsx`,
};
