import { describe, expect, it } from 'vitest';
import { validateTransactionRequest } from '../fund/ledger/ledger.ts';
import { projectReceivableTransaction, projectTransactionId } from './project-postings.ts';

const project = {
  regionCode: '330100',
  projectId: 'prj_330100_00000000000000a1',
  projectName: '示例住宅项目一期',
  contributionFen: 32_098_765,
  registeredOn: '2026-03-01',
};

describe('project receivable posting', () => {
  it('owes the one-off contribution: Dr 1131 / Cr 4101 in the city segment, the registration day', () => {
    const request = projectReceivableTransaction(project, 'snap-1');
    expect(request).toEqual({
      id: 'contributions:project:prj_330100_00000000000000a1',
      effectiveDate: '2026-03-01',
      source: { type: 'construction_project', id: 'prj_330100_00000000000000a1' },
      parameterSnapshotId: 'snap-1',
      memo: '按项目参保一次性工伤保险费 330100 示例住宅项目一期',
      postings: [
        { segment: '330100', account: '1131', side: 'debit', amountFen: 32_098_765 },
        { segment: '330100', account: '4101', side: 'credit', amountFen: 32_098_765 },
      ],
    });
    expect(request === null ? false : validateTransactionRequest(request).ok).toBe(true);
  });
  it('posts nothing for a contribution that rounds to 0 fen; the id depends on the project alone', () => {
    expect(projectReceivableTransaction({ ...project, contributionFen: 0 }, 'snap-1')).toBeNull();
    expect(projectTransactionId(project.projectId)).toBe(
      projectReceivableTransaction({ ...project, contributionFen: 1 }, 'snap-2')?.id,
    );
  });
});
