import { describe, expect, it } from 'vitest';
import { downloadMessage, recentVisitsMessage } from './his-messages.ts';

/** The read messages' schemas (1301, 9105): every problem at the boundary, none in a query. */
const envelope = { version: 1, serial: 'S1', signInId: 'sgn_0000000000000000' };

describe('1301 批量数据下载', () => {
  it('accepts a page request and the cursor it answered', () => {
    const body = { dataset: 'catalogue', asOf: '2026-07-01', cursor: '2026-06-01:D-001', limit: 3 };
    expect(downloadMessage.safeParse({ ...envelope, body }).success).toBe(true);
  });

  it('refuses changedSince after asOf, a kind on code maps and a malformed cursor', () => {
    const body = {
      dataset: 'codeMaps',
      asOf: '2026-07-01',
      changedSince: '2026-07-02',
      kind: 'drug',
    };
    const r = downloadMessage.safeParse({ ...envelope, body });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'body.changedSince',
      'body.kind',
    ]);
    const bad = { dataset: 'catalogue', asOf: '2026-07-01', cursor: '2026-02-30:X' };
    const r2 = downloadMessage.safeParse({ ...envelope, body: bad });
    expect(r2.error?.issues.map((i) => i.path.join('.'))).toEqual(['body.cursor']);
  });

  it('refuses a limit over 500', () => {
    const body = { dataset: 'catalogue', asOf: '2026-07-01', limit: 501 };
    expect(downloadMessage.safeParse({ ...envelope, body }).success).toBe(false);
  });
});

describe('9105 近期就诊查询', () => {
  it('wants exactly one of the ID number and the card code', () => {
    const both = { idNumber: '330102198004020011', ecardCode: 'abc.def' };
    expect(recentVisitsMessage.safeParse({ ...envelope, body: both }).success).toBe(false);
    expect(recentVisitsMessage.safeParse({ ...envelope, body: {} }).success).toBe(false);
    const one = { idNumber: '330102198004020011', limit: 5 };
    expect(recentVisitsMessage.safeParse({ ...envelope, body: one }).success).toBe(true);
  });
});
