import type {
  MaterialItemCode,
  MaterialResponse,
  MaterialsListResponse,
} from '../../../contract/cases/materials-contract.ts';
import { request, upload } from '../../api/client.ts';

export type { MaterialItemCode, MaterialResponse, MaterialsListResponse };

/** Staff reach a case through its city; the employer and the worker through their own cases. */
export type MaterialsVia = 'staff' | 'self';

const enc = encodeURIComponent;

function base(via: MaterialsVia, regionCode: string, caseId: string): string {
  return via === 'staff'
    ? `/api/v1/regions/${enc(regionCode)}/cases/${enc(caseId)}/materials`
    : `/api/v1/my/cases/${enc(caseId)}/materials`;
}

export const materialsApi = {
  list: (via: MaterialsVia, regionCode: string, caseId: string) =>
    request<MaterialsListResponse>(base(via, regionCode, caseId)),
  fileUrl: (via: MaterialsVia, regionCode: string, caseId: string, materialId: string) =>
    `${base(via, regionCode, caseId)}/${enc(materialId)}/file`,
  upload: (
    target: { via: MaterialsVia; regionCode: string; caseId: string },
    itemCode: MaterialItemCode,
    file: File,
    onProgress: (sent: number, total: number) => void,
    /** The 供养亲属 a `dependant_…` paper belongs to (survivors' evidence). */
    dependantId?: string,
  ) => {
    const query = new URLSearchParams({ itemCode, fileName: file.name });
    if (dependantId !== undefined) query.set('dependantId', dependantId);
    return upload<MaterialResponse>(
      `${base(target.via, target.regionCode, target.caseId)}?${query.toString()}`,
      file,
      onProgress,
    );
  },
};
