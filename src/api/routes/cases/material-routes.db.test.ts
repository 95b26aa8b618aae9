import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import type { Actor } from '../../../identity/actor.ts';
import { citizenIdFacts } from '../../../kernel/ids.ts';
import { createLocalBlobStore } from '../../../runtime/local-blob-store.ts';
import { blobKeyOf } from '../../../usecases/cases/blob-store.ts';
import { addMaterial } from '../../../usecases/cases/materials.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/**
 * Case materials through the HTTP API on both backends: type by content, size limit, one blob for
 * the same bytes, a damaged blob never served, the checklist, scoping of staff (city) and of the
 * employer and worker (their own cases only), the append-only table.
 */
const BYTES_MAX = 4096;
const blobRoot = mkdtempSync(join(tmpdir(), 'tc-material-routes-'));
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(64)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);

const hzHandler: Actor = {
  userId: 'hz.handler',
  username: 'hz.handler',
  role: 'city_handler',
  scopeKind: 'city',
  scopeCode: '330100',
  permissions: [],
  requestId: 'crash-test',
};

let h: TestApp;
const sessions: Record<string, Session> = {};
const ids = { mine: '', other: '', ningbo: '' };

async function one(sql: string, params: unknown[] = []): Promise<string> {
  const r = withColumns(await h.t.db.query(sql, params), { v: textOf });
  const v = r.rows[0]?.v;
  if (v === undefined) throw new Error(`no row: ${sql}`);
  return v;
}

/** The demo worker's workers row (same ID number as the demo person), made if the seed has none. */
async function demoWorkerId(): Promise<string> {
  const idNumber = await one(`SELECT id_number AS v FROM persons WHERE id = 'per_330100_0001'`);
  const facts = citizenIdFacts(idNumber);
  await h.t.db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, '张三', $3, $4, 'test') ON CONFLICT (id_number) DO NOTHING`,
    [`wkr_${randomBytes(8).toString('hex')}`, idNumber, facts.sex, facts.birthDate],
  );
  return one('SELECT id AS v FROM workers WHERE id_number = $1', [idNumber]);
}

async function newCase(region: string, workerId: string, employerId: string): Promise<string> {
  const id = `cas_${region}_${randomBytes(8).toString('hex')}`;
  await h.t.db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
                        accident_date, status, created_by)
     SELECT $1, $2, $3, region_code, id, 'accident', '2025-05-06', 'reported', 'test'
     FROM employers WHERE id = $4`,
    [region, id, workerId, employerId],
  );
  return id;
}

beforeAll(async () => {
  h = await startTestApp({
    settings: { MATERIAL_FILE_BYTES_MAX: String(BYTES_MAX) },
    blobs: createLocalBlobStore(blobRoot),
  });
  for (const u of ['hz.handler', 'nb.handler', 'hz.supervisor', 'demo.employer', 'demo.worker'])
    sessions[u] = await loginAs(h.app, u);
  const mine = await one(`SELECT id AS v FROM employers WHERE credit_code = '91330100MA0000015W'`);
  const otherEmployer = await one(
    `SELECT id AS v FROM employers WHERE region_code = '330100' AND id <> $1 ORDER BY id LIMIT 1`,
    [mine],
  );
  const ningboEmployer = await one(
    `SELECT id AS v FROM employers WHERE region_code = '330200' ORDER BY id LIMIT 1`,
  );
  const worker = await demoWorkerId();
  const otherWorker = await one('SELECT id AS v FROM workers WHERE id <> $1 ORDER BY id LIMIT 1', [
    worker,
  ]);
  ids.mine = await newCase('330100', worker, mine);
  ids.other = await newCase('330100', otherWorker, otherEmployer);
  ids.ningbo = await newCase('330200', otherWorker, ningboEmployer);
}, 120_000);

afterAll(async () => {
  await h.close();
  rmSync(blobRoot, { recursive: true, force: true });
});

const staffUrl = (caseId: string, region = caseId.slice(4, 10)) =>
  `/api/v1/regions/${region}/cases/${caseId}/materials`;

function upload(
  user: string,
  url: string,
  body: Uint8Array,
  query = { itemCode: 'application_form', fileName: 'scan.pdf' },
) {
  return h.app.inject({
    method: 'POST',
    url,
    query,
    headers: { ...withSession(sessions[user]!), 'content-type': 'application/pdf' },
    payload: Buffer.from(body),
  });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = withColumns(await h.t.db.query(sql, params), { n: intOf });
  return r.rows[0]?.n ?? 0;
}
const materialRows = () => count('SELECT count(*)::int AS n FROM case_materials');
const blobFiles = () =>
  readdirSync(blobRoot, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

describe(`case materials are typed by content and limited in size on ${testBackend}`, () => {
  it('a PNG named .pdf and sent as application/pdf is stored as a PNG, with its event and audit', async () => {
    const res = await upload('hz.handler', staffUrl(ids.mine), PNG);
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ mediaType: 'image/png', fileName: 'scan.pdf', byteSize: PNG.length });
    expect(m.sha256).toBe(blobKeyOf(PNG));
    const events = await count(
      `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND kind = 'materials.added'
         AND data->>'materialId' = $2`,
      [ids.mine, m.id],
    );
    expect(events).toBe(1);
    const audits = await count(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.material.add' AND object LIKE $1`,
      [`%${m.id}`],
    );
    expect(audits).toBe(1);
  });

  it('an executable, a ZIP and a text file named .pdf are refused, nothing stored', async () => {
    const [rows, files] = [await materialRows(), blobFiles()];
    for (const body of [
      Buffer.from('MZ\x90\x00\x03 this program cannot be run in DOS mode'),
      Buffer.from('PK\x03\x04\x14\x00 a zip'),
      Buffer.from('hello, I am text'),
    ]) {
      const res = await upload('hz.handler', staffUrl(ids.mine), body);
      expect(res.statusCode).toBe(415);
      expect(problemOf(res).code).toBe('material.type_not_allowed');
    }
    expect(await materialRows()).toBe(rows);
    expect(blobFiles()).toBe(files);
  });

  it('an empty file and a file over the limit are refused (the limit named), no blob, no row', async () => {
    const [rows, files] = [await materialRows(), blobFiles()];
    const big = Buffer.concat([Buffer.from('%PDF-'), randomBytes(BYTES_MAX)]);
    const res = await upload('hz.handler', staffUrl(ids.mine), big);
    expect(res.statusCode).toBe(413);
    expect(problemOf(res).code).toBe('material.too_large');
    expect(res.json().detail).toContain(`${BYTES_MAX} bytes`);
    expect(await h.app.deps.blobs.has(blobKeyOf(big))).toBe(false);
    const empty = await upload('hz.handler', staffUrl(ids.mine), new Uint8Array(0));
    expect(problemOf(empty).code).toBe('material.file_empty');
    expect(await materialRows()).toBe(rows);
    expect(blobFiles()).toBe(files);
  });
});

describe(`case material blobs on ${testBackend}`, () => {
  it('the same bytes twice make two rows and one blob', async () => {
    const files = blobFiles();
    const a = await upload('hz.handler', staffUrl(ids.mine), PDF, {
      itemCode: 'labour_relation_proof',
      fileName: '劳动合同.pdf',
    });
    const b = await upload('hz.handler', staffUrl(ids.mine), PDF, {
      itemCode: 'labour_relation_proof',
      fileName: '劳动合同(再次).pdf',
    });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(blobFiles()).toBe(files + 1);
    const rows = await count('SELECT count(*)::int AS n FROM case_materials WHERE sha256 = $1', [
      blobKeyOf(PDF),
    ]);
    expect(rows).toBe(2);
  });

  it('a blob changed on disk is refused on download, never served', async () => {
    const res = await upload('hz.handler', staffUrl(ids.mine), PDF.subarray(0, 100), {
      itemCode: 'other',
      fileName: 'photo-of-site.pdf',
    });
    const m = res.json();
    writeFileSync(join(blobRoot, m.sha256.slice(0, 2), m.sha256), Buffer.from('%PDF-forged'));
    const file = await h.app.inject({
      method: 'GET',
      url: `${staffUrl(ids.mine)}/${m.id}/file`,
      headers: withSession(sessions['hz.handler']!),
    });
    expect(file.statusCode).toBe(500);
    expect(file.body).not.toContain('forged');
  });

  it('a store that dies mid-write leaves no blob under the key and no row', async () => {
    const crashing = createLocalBlobStore(blobRoot, {
      beforePublish: async () => {
        throw new Error('simulated crash');
      },
    });
    const bytes = Buffer.concat([Buffer.from('%PDF-'), randomBytes(50)]);
    const rows = await materialRows();
    await expect(
      addMaterial(h.t.db, crashing, hzHandler, {
        regionCode: '330100',
        caseId: ids.mine,
        itemCode: 'other',
        fileName: 'x.pdf',
        bytes,
        byteCount: bytes.length,
        bytesMax: BYTES_MAX,
        today: '2025-06-01',
      }),
    ).rejects.toThrow(/simulated crash/);
    expect(await h.app.deps.blobs.has(blobKeyOf(bytes))).toBe(false);
    expect(await materialRows()).toBe(rows);
  });
});

describe(`case materials are listed, downloaded and withdrawn on ${testBackend}`, () => {
  it('lists the materials with the checklist, downloads the bytes, and audits the staff read', async () => {
    const list = await h.app.inject({
      method: 'GET',
      url: staffUrl(ids.mine),
      headers: withSession(sessions['hz.supervisor']!),
    });
    expect(list.statusCode, list.body).toBe(200);
    const page = list.json();
    expect(page.bytesMax).toBe(BYTES_MAX);
    expect(page.checklist.missing).toEqual(['medical_diagnosis']);
    const png = page.materials.find((m: { mediaType: string }) => m.mediaType === 'image/png');
    const file = await h.app.inject({
      method: 'GET',
      url: `${staffUrl(ids.mine)}/${png.id}/file`,
      headers: withSession(sessions['hz.supervisor']!),
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toContain(`${png.id}.png`);
    expect(Buffer.from(file.rawPayload).equals(Buffer.from(PNG))).toBe(true);
    const audits = await count(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.material.download'
         AND actor = 'hz.supervisor' AND object LIKE $1 AND details->>'staffRead' = 'true'`,
      [`%${png.id}`],
    );
    expect(audits).toBe(1);
  });

  it('withdraws a material once; the checklist stops counting it', async () => {
    const res = await upload('hz.handler', staffUrl(ids.other), PNG);
    const m = res.json();
    const withdraw = () =>
      h.app.inject({
        method: 'POST',
        url: `${staffUrl(ids.other)}/${m.id}/withdrawal`,
        headers: withSession(sessions['hz.handler']!),
        payload: { reason: '上传错了' },
      });
    const first = await withdraw();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().withdrawn.reason).toBe('上传错了');
    expect(problemOf(await withdraw()).code).toBe('material.already_withdrawn');
    const list = await h.app.inject({
      method: 'GET',
      url: staffUrl(ids.other),
      headers: withSession(sessions['hz.handler']!),
    });
    expect(list.json().checklist.missing).toContain('application_form');
  });

  it('keeps the table append-only', async () => {
    await expect(h.t.db.query(`UPDATE case_materials SET file_name = 'x'`)).rejects.toThrow();
    await expect(h.t.db.query('DELETE FROM case_materials')).rejects.toThrow();
  });
});

describe(`case materials are scoped on ${testBackend}`, () => {
  const get = (user: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: withSession(sessions[user]!) });

  it('another city’s handler gets 404, by its own region path or by the case’s', async () => {
    const direct = await get('nb.handler', staffUrl(ids.mine));
    expect(direct.statusCode).toBe(404);
    expect(direct.json().details?.policy).toBe('out_of_scope');
    const viaOwnRegion = await get('nb.handler', staffUrl(ids.mine, '330200'));
    expect(viaOwnRegion.statusCode).toBe(404);
    const ningbo = await get('hz.handler', staffUrl(ids.ningbo, '330100'));
    expect(ningbo.statusCode).toBe(404);
    const upload404 = await upload('nb.handler', staffUrl(ids.mine), PNG);
    expect(upload404.statusCode).toBe(404);
  });

  it('the employer uploads to and reads its own case; another employer’s case is 404, audited', async () => {
    const mine = await upload('demo.employer', `/api/v1/my/cases/${ids.mine}/materials`, PNG);
    expect(mine.statusCode, mine.body).toBe(201);
    expect((await get('demo.employer', `/api/v1/my/cases/${ids.mine}/materials`)).statusCode).toBe(
      200,
    );
    const other = await get('demo.employer', `/api/v1/my/cases/${ids.other}/materials`);
    expect(other.statusCode).toBe(404);
    const denied = await count(
      `SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND result = 'denied'`,
      [other.headers['x-request-id']],
    );
    expect(denied).toBe(1);
    const refusedUpload = await upload(
      'demo.employer',
      `/api/v1/my/cases/${ids.other}/materials`,
      PNG,
    );
    expect(refusedUpload.statusCode).toBe(404);
  });

  it('the worker reads and downloads their own case’s materials, not another worker’s', async () => {
    const list = await get('demo.worker', `/api/v1/my/cases/${ids.mine}/materials`);
    expect(list.statusCode, list.body).toBe(200);
    const first = list.json().materials[0];
    const file = await get(
      'demo.worker',
      `/api/v1/my/cases/${ids.mine}/materials/${first.id}/file`,
    );
    expect(file.statusCode).toBe(200);
    const own = await upload('demo.worker', `/api/v1/my/cases/${ids.mine}/materials`, PDF);
    expect(own.statusCode, own.body).toBe(201);
    expect((await get('demo.worker', `/api/v1/my/cases/${ids.other}/materials`)).statusCode).toBe(
      404,
    );
  });

  it('staff cannot use the self-service paths, the employer not the staff paths', async () => {
    expect((await get('hz.handler', `/api/v1/my/cases/${ids.mine}/materials`)).statusCode).toBe(
      403,
    );
    expect((await get('demo.employer', staffUrl(ids.mine))).statusCode).toBe(403);
  });
});

describe(`case materials in the API document on ${testBackend}`, () => {
  it('documents the upload body as a binary file of the accepted types', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    for (const path of [
      '/api/v1/regions/{regionCode}/cases/{caseId}/materials',
      '/api/v1/my/cases/{caseId}/materials',
    ]) {
      const content = doc.paths[path].post.requestBody.content;
      expect(Object.keys(content).sort()).toEqual(
        ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png'].sort(),
      );
      expect(content['image/png'].schema).toMatchObject({ type: 'string', format: 'binary' });
    }
    // The other routes keep their JSON bodies.
    const withdraw =
      doc.paths['/api/v1/regions/{regionCode}/cases/{caseId}/materials/{materialId}/withdrawal'];
    expect(Object.keys(withdraw.post.requestBody.content)).toEqual(['application/json']);
  });
});

describe(`a material upload must be the file itself on ${testBackend}`, () => {
  it('refuses a JSON body with 415 material.content_type, nothing stored', async () => {
    const rows = await materialRows();
    const res = await h.app.inject({
      method: 'POST',
      url: staffUrl(ids.mine),
      query: { itemCode: 'other', fileName: 'x.pdf' },
      headers: withSession(sessions['hz.handler']!),
      payload: { file: '%PDF-1.7' },
    });
    expect(res.statusCode).toBe(415);
    expect(problemOf(res).code).toBe('material.content_type');
    expect(await materialRows()).toBe(rows);
  });
});
