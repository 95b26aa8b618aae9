import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Database } from '../src/db/client.ts';
import { intOf } from '../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../src/db/testing.ts';
import { lineAmountFen } from '../src/domain/settlement/adjudicate.ts';
import { type Actor, systemActor } from '../src/identity/actor.ts';
import { citizenIdFacts } from '../src/kernel/ids.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';
import { insertCase } from '../src/usecases/benefits/testing.ts';
import { checkLedger } from '../src/usecases/fund/ledger/ledger-read.ts';
import { demoIdNumber } from '../src/usecases/seed/demo-ids.ts';
import type { MessageAnswer } from '../src/usecases/settlement/his-messages.ts';
import { identifyPatient, signIn } from '../src/usecases/settlement/his-session.ts';
import { type FeeLine, openVisit, uploadLines } from '../src/usecases/settlement/his-visits.ts';
import {
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  institutionToken,
  setUpSettlement,
  type TestCatalogueRow,
} from '../src/usecases/settlement/testing.ts';
import { type Benchmark, type BenchResult, median } from './harness.ts';

/**
 * Issue 13, Performance: settlement of visits with 20 fee lines each through the HTTP API on
 * PostgreSQL, ≥ 1 000 settlements/s with p99 < 100 ms, and ≥ 50 % of a bare route that inserts the
 * same lines in one statement, in the same run. Set-up (not timed): an institution, agreement, a
 * catalogue of 20 codes and their code maps, one accepted case and one open visit with 20 lines
 * per settlement, through the use cases. Timed: 2207 费用结算 over HTTP (a real listening server
 * in a child process, autocannon's keep-alive connections, a fixed concurrency), each request a
 * fresh visit and serial; against it, in interleaved rounds, the bare route in a child process of
 * the same kind on the same database. Benchmarks report: no threshold fails the run.
 */
const here = dirname(fileURLToPath(import.meta.url));
const LINES = 20;
const CONNECTIONS = Number(process.env['SETTLEMENT_BENCH_CONNECTIONS'] ?? 32);
const ROUNDS = Number(process.env['SETTLEMENT_BENCH_ROUNDS'] ?? 3);
const PER_ROUND = Number(process.env['SETTLEMENT_BENCH_PER_ROUND'] ?? 300);
const WARM_UP = Number(process.env['SETTLEMENT_BENCH_WARM_UP'] ?? 100);
const ANALYZE = process.env['SETTLEMENT_BENCH_ANALYZE'] !== '0';
const APP_PORT = 39_121;
const BARE_PORT = 39_122;

const cpus = availableParallelism();
const pinnable = cpus >= 2 && existsSync('/usr/bin/taskset');

async function startServer(mode: 'app' | 'bare', url: string, port: number): Promise<ChildProcess> {
  // As in the platform benchmark: the servers on the last core, the load on the others.
  const node = [
    process.execPath,
    ...(process.env['SETTLEMENT_BENCH_PROF'] && mode === 'app'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env['SETTLEMENT_BENCH_PROF']}`]
      : []),
    '--import',
    'tsx',
    join(here, 'settlement-server.ts'),
    mode,
    url,
    String(port),
  ];
  const cmd = pinnable ? ['taskset', '-c', String(cpus - 1), ...node] : node;
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!String(chunk).includes('ready')) throw new Error(`${mode} server did not start: ${chunk}`);
  return child;
}

/** The catalogue: 20 codes of every kind, some with a price cap (so some lines are partial). */
function catalogue(): TestCatalogueRow[] {
  const kinds = ['drug', 'service', 'rehabilitation', 'device'] as const;
  return Array.from({ length: LINES }, (_, i) => ({
    code: `BENCH-${String(i + 1).padStart(2, '0')}`,
    kind: kinds[i % kinds.length]!,
    priceCapFen: i % 5 === 0 ? 1000 : null,
  }));
}

function feeLines(): FeeLine[] {
  return Array.from({ length: LINES }, (_, i) => {
    const quantityMilli = 1000 + 500 * (i % 3);
    const unitPriceFen = 800 + 50 * i;
    return {
      lineNo: i + 1,
      ownCode: `H-${String(i + 1).padStart(2, '0')}`,
      name: `项目${i + 1}`,
      servedOn: '2026-01-07',
      quantityMilli,
      unitPriceFen,
      amountFen: lineAmountFen(quantityMilli, unitPriceFen),
    };
  });
}

type Fixture = { token: string; signInId: string; visitIds: string[]; claimedFen: number };

function answerOf(r: { ok: boolean; value?: MessageAnswer; message?: string }): MessageAnswer {
  if (!r.ok || r.value === undefined) throw new Error(`set-up refused: ${r.message}`);
  return r.value;
}

let setUpSerial = 0;
const nextSetUpSerial = () => {
  setUpSerial += 1;
  return `SETUP-${setUpSerial}`;
};

let workerSerial = 0;

/**
 * A worker and an accepted case with its injury diagnosis (the fixtures' insertAcceptedCase runs
 * out of ID numbers past a few hundred workers: here the birth date moves every 900).
 */
async function acceptedCase(
  db: Database,
  employerId: string,
): Promise<{ caseId: string; idNumber: string }> {
  workerSerial += 1;
  const birth = new Date(Date.UTC(1970, 0, 1) + Math.floor(workerSerial / 900) * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  const idNumber = demoIdNumber('330102', birthDate, (workerSerial % 900) + 1);
  const workerId = `wkr_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, '压测职工', $3, $4::date, 'bench')`,
    [workerId, idNumber, citizenIdFacts(idNumber).sex, birthDate],
  );
  const caseId = await insertCase(db, {
    workerId,
    employerId,
    accidentDate: '2026-01-05',
    outcome: 'recognised',
  });
  await db.query(
    `INSERT INTO case_injury_diagnoses (region_code, case_id, code, recorded_by) VALUES ('330100', $1, 'S82.2', 'bench')`,
    [caseId],
  );
  return { caseId, idNumber };
}

/** One accepted case, one visit opened against it and its 20 lines uploaded: the visit's id. */
async function openVisitWithLines(
  db: Database,
  actor: Actor,
  signInId: string,
  employerId: string,
): Promise<string> {
  const c = await acceptedCase(db, employerId);
  const env = () => ({ version: 1 as const, serial: nextSetUpSerial(), signInId });
  answerOf(await identifyPatient(db, actor, env(), { idNumber: c.idNumber }));
  const opened = answerOf(
    await openVisit(db, actor, env(), {
      caseId: c.caseId,
      hisVisitNo: `ZY-${c.caseId}`,
      kind: 'inpatient',
      openedOn: '2026-01-06',
      diagnosisCode: 'S82.2',
    }),
  );
  const visitId = String(opened.body['visitId']);
  answerOf(await uploadLines(db, actor, env(), { visitId, lines: feeLines() }));
  return visitId;
}

async function setUp(db: Database, visits: number): Promise<Fixture> {
  const f = await setUpSettlement(db, loadRuleBook().benefits);
  const hospital = await insertInstitution(db);
  await insertAgreement(db, { institutionId: hospital.id, scopes: ['outpatient', 'inpatient'] });
  const rows = catalogue();
  await insertCatalogueRows(db, rows);
  await insertCodeMaps(
    db,
    hospital.id,
    rows.map((r, i) => ({ ownCode: `H-${String(i + 1).padStart(2, '0')}`, catalogueCode: r.code })),
  );
  const token = await institutionToken(db, systemActor('bench'), hospital.username);
  const signed = answerOf(
    await signIn(
      db,
      hospital.actor,
      { version: 1, serial: 'SETUP-9001' },
      { operator: '收费员01' },
    ),
  );
  const signInId = String(signed.body['signInId']);
  const visitIds: string[] = [];
  // A few at a time: the set-up is not timed, only kept short.
  for (let start = 0; start < visits; start += 8) {
    const batch = Array.from({ length: Math.min(8, visits - start) }, () =>
      openVisitWithLines(db, hospital.actor, signInId, f.employer.id),
    );
    visitIds.push(...(await Promise.all(batch)));
  }
  const claimedFen = feeLines().reduce((s, l) => s + l.amountFen, 0);
  return { token, signInId, visitIds, claimedFen };
}

type Round = { rate: number; p50: number; p99: number; failed: number };

/** `amount` POSTs over CONNECTIONS keep-alive connections, each body from `body(i)`. */
async function loadWithHeaders(
  port: number,
  path: string,
  amount: number,
  headers: Record<string, string>,
  body: (i: number) => string,
): Promise<Round> {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  // The round ends at its last answer: autocannon calls back on its next 1 s sampling tick after
  // the last response, so its own end (or duration) rounds every round up to whole seconds, which
  // capped a 300-request bare round at ~300/s whatever the route's real rate.
  let lastAnswer = started;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        path,
        headers,
        setupRequest: (req) => {
          const i = next;
          next += 1;
          return { ...req, body: body(i) };
        },
        onResponse: (status, text) => {
          lastAnswer = performance.now();
          if (status !== 200 || text.includes('"replayed":true')) failed += 1;
        },
      },
    ],
  });
  const seconds = (lastAnswer - started) / 1000;
  const answered = result.requests.total - result.non2xx - result.errors;
  return {
    rate: answered / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failed + result.errors,
  } satisfies Round;
}

function settleRound(fx: Fixture, visitIds: readonly string[], amount: number, tag: string) {
  const headers = { authorization: `Bearer ${fx.token}`, 'content-type': 'application/json' };
  return loadWithHeaders(APP_PORT, '/api/v1/settlement/his/2207', amount, headers, (i) => {
    // Slack past `amount` is there in case autocannon asks for one body more than it sends.
    const visitId = visitIds[i];
    if (visitId === undefined) throw new Error(`round ${tag} ran out of visits at ${i}`);
    return JSON.stringify({
      version: 1,
      serial: `B-${tag}-${i}`,
      signInId: fx.signInId,
      body: { visitId, lineCount: LINES, claimedFen: fx.claimedFen },
    });
  });
}

/** The bare route's body: the same 20 lines as the settlement writes, adjudicated shape. */
const bareLines = feeLines().map((l, i) => ({
  lineNo: l.lineNo,
  catalogueCode: `BENCH-${String(i + 1).padStart(2, '0')}`,
  category: 'medical',
  outcome: 'payable',
  claimedFen: l.amountFen,
  payableFen: l.amountFen,
}));

function bareRound(amount: number, tag: string) {
  const headers = { 'content-type': 'application/json' };
  return loadWithHeaders(BARE_PORT, '/bare/settle', amount, headers, (i) =>
    JSON.stringify({ settlementId: `bare-${tag}-${i}`, lines: bareLines }),
  );
}

type Measured = { app: Round[]; bare: Round[] };

/** Interleaved rounds, alternating which goes first; each app round settles fresh visits. */
async function measure(db: Database, fx: Fixture): Promise<Measured> {
  const slice = (k: number, n: number) =>
    fx.visitIds.slice(WARM_UP + CONNECTIONS + k * (PER_ROUND + CONNECTIONS)).slice(0, n);
  await settleRound(fx, fx.visitIds.slice(0, WARM_UP + CONNECTIONS), WARM_UP, 'warm');
  await bareRound(WARM_UP, 'warm');
  // Again with settlements in the tables: statistics taken while settlement_settlements was empty
  // keep the planner starting the duplicates query from every settlement (see `run`).
  if (ANALYZE) await db.query('ANALYZE');
  const m: Measured = { app: [], bare: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const app = () =>
      settleRound(fx, slice(round, PER_ROUND + CONNECTIONS), PER_ROUND, `r${round}`);
    const bare = () => bareRound(PER_ROUND, `r${round}`);
    if (round % 2 === 0) {
      m.bare.push(await bare());
      m.app.push(await app());
    } else {
      m.app.push(await app());
      m.bare.push(await bare());
    }
  }
  return m;
}

async function settledCount(db: Database): Promise<number> {
  const r = await db.query(
    "SELECT count(*)::int AS n FROM settlement_settlements WHERE kind = 'settlement'",
  );
  return intOf(r.rows[0] ?? {}, 'n');
}

function resultOf(m: Measured, settled: number, ledgerOk: boolean): BenchResult {
  const ratios = m.app.map((a, i) => a.rate / (m.bare[i]?.rate ?? Number.NaN));
  const ratio = median(ratios);
  const rate = median(m.app.map((r) => r.rate));
  const p50 = median(m.app.map((r) => r.p50));
  const p99 = median(m.app.map((r) => r.p99));
  const failed = m.app.reduce((s, r) => s + r.failed, 0) + m.bare.reduce((s, r) => s + r.failed, 0);
  const checks = [
    { label: '≥ 1 000 settlements/s', shown: `${rate.toFixed(0)}/s`, met: rate >= 1000 },
    { label: 'p99 < 100 ms', shown: `${p99.toFixed(0)} ms`, met: p99 < 100 },
    { label: 'ratio to bare ≥ 0.5', shown: ratio.toFixed(3), met: ratio >= 0.5 },
  ];
  const targets = checks.map((c) => `${c.label}: ${c.shown} ${c.met ? 'met' : 'NOT met'}`);
  process.stdout.write(`\n  targets (reported, not gating): ${targets.join('; ')}`);
  const fmt = (rs: Round[], k: keyof Round) => rs.map((r) => r[k].toFixed(0)).join('/');
  return {
    name: 'settlement-2207-vs-bare-insert',
    unit: 'settlements/s',
    figure: rate,
    baseline: median(m.bare.map((r) => r.rate)),
    baselineLabel: `bare Fastify route, one INSERT of ${LINES} lines per request`,
    ratio,
    notes: `PostgreSQL; 2207 with ${LINES} lines per visit, ${CONNECTIONS} keep-alive connections (autocannon), ${ROUNDS} interleaved rounds of ${PER_ROUND} requests each after a warm-up of ${WARM_UP}; ${ANALYZE ? 'ANALYZE after the set-up and after the warm-up' : 'no ANALYZE'}; medians over rounds (rate, per-round ratio, p50, p99). Targets (reported, not gating): ${targets.join('; ')}. Rounds app rate ${fmt(m.app, 'rate')}/s p50 ${fmt(m.app, 'p50')} ms p99 ${fmt(m.app, 'p99')} ms; bare rate ${fmt(m.bare, 'rate')}/s p99 ${fmt(m.bare, 'p99')} ms; ratios ${ratios.map((r) => r.toFixed(3)).join('/')}. Failed requests ${failed}; settlements written ${settled}; ledger check ${ledgerOk ? 'ok' : 'FAILED'}.`,
    extra: {
      p50Ms: p50,
      p99Ms: p99,
      bareP99Ms: median(m.bare.map((r) => r.p99)),
      failedRequests: failed,
      settlementsWritten: settled,
      targetsMet: checks.filter((c) => c.met).length,
    },
    target: {
      description: '≥ 1 000 settlements/s, p99 < 100 ms and ≥ 0.5 of the bare route, all three',
      met: checks.every((c) => c.met),
    },
  };
}

/** Set-up, statistics, the two servers and the rounds; the caller drops the scratch database. */
async function runOn(t: TestDatabase): Promise<BenchResult> {
  const visits = WARM_UP + CONNECTIONS + ROUNDS * (PER_ROUND + CONNECTIONS);
  const fx = await setUp(t.db, visits);
  await t.db.query(
    'CREATE TABLE bench_settlement_lines (LIKE settlement_line_results INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)',
  );
  // The scratch database was just filled in bulk: a production database has statistics
  // (autovacuum); this takes them here, and again after the warm-up; SETTLEMENT_BENCH_ANALYZE=0
  // shows the figure without. (The duplicates read once depended on them, 26 ms instead of 0.1 ms
  // at 30 settlements; since ADR 0019 it starts from the case's visits whatever the statistics.)
  if (ANALYZE) await t.db.query('ANALYZE');
  const children: ChildProcess[] = [];
  try {
    children.push(await startServer('app', t.url ?? '', APP_PORT));
    children.push(await startServer('bare', t.url ?? '', BARE_PORT));
    if (pinnable)
      spawnSync('taskset', ['-cp', `0-${cpus - 2}`, String(process.pid)], { stdio: 'ignore' });
    const m = await measure(t.db, fx);
    const ledger = await checkLedger(t.db);
    return resultOf(m, await settledCount(t.db), ledger.ok);
  } finally {
    for (const child of children) {
      child.kill();
      await once(child, 'exit');
    }
  }
}

export const benchmark: Benchmark = {
  name: 'settlement',
  async run(): Promise<BenchResult> {
    const t = await openTestDatabase({ backend: 'pg' });
    try {
      return await runOn(t);
    } finally {
      await t.cleanup();
    }
  },
};
