import type { ResumeInput, Stop, StopGround, StopInput } from './benefit-stop-api.ts';
import { type Json, objectOf, storedEntries, textIn } from './stored-json.ts';

/**
 * The 第四十二条 panel's pure parts (docs/benefits.md "Stopping benefits"): whether the case shows
 * the panel, the worker's state, which step the state allows, and the asks the maker sent from
 * this browser (kept until applied). The server decides every check; the panel leaves out only
 * what cannot apply (a resumption of a ground (一) stop, a second stop while one is open).
 */
export const STOP_GROUNDS: readonly StopGround[] = [
  'lost_conditions',
  'refused_appraisal',
  'refused_treatment',
];

export type StopState = 'none' | 'stopped' | 'resumed';

/** The open stop (one per worker and city, the table's unique key), else null. */
export function openStop(stops: readonly Stop[]): Stop | null {
  return stops.find((s) => s.resumedOn === null) ?? null;
}

/** The worker's state from the latest stop: none recorded, stopped, or lifted. */
export function stopState(stops: readonly Stop[]): StopState {
  if (openStop(stops) !== null) return 'stopped';
  return stops.length === 0 ? 'none' : 'resumed';
}

/** Grounds (二) and (三) rest on an act that can end; (一) is final (benefit.stop_final). */
export function mayResume(stop: Stop): boolean {
  return stop.resumedOn === null && stop.ground !== 'lost_conditions';
}

type Entitlement = { status: 'active' | 'ended'; dependantId: string | null };

/** The panel is shown when the case pays the worker an own item, or the worker has a stop. */
export function showsStopPanel(
  entitlements: readonly Entitlement[],
  stops: readonly Stop[],
): boolean {
  return (
    stops.length > 0 || entitlements.some((x) => x.status === 'active' && x.dependantId === null)
  );
}

/** One request asked from this browser, kept (localStorage) until applied or discarded. */
export type StopAsked =
  | { step: 'stop'; approvalId: string; body: StopInput }
  | { step: 'resume'; approvalId: string; stopId: string; body: ResumeInput };

export type StopStep = 'stop' | 'resume';

/**
 * The step the state allows for the handler: a stop when none is open, the resumption of an open
 * stop on ground (二) or (三); a step already asked from this browser is applied, not asked again.
 */
export function stopSteps(stops: readonly Stop[], asked: readonly StopAsked[]): StopStep[] {
  const open = openStop(stops);
  const step: StopStep | null = open === null ? 'stop' : mayResume(open) ? 'resume' : null;
  if (step === null || asked.some((a) => a.step === step)) return [];
  return [step];
}

export function stopAskedKey(regionCode: string, workerId: string): string {
  return `tongchou.benefit-stop.${regionCode}.${workerId}`;
}

/** Stored asks read back with checks (another version of the page may have written them). */
export function stopAskedFromJson(text: string | null): StopAsked[] {
  return storedEntries(text).flatMap((entry: unknown): StopAsked[] => {
    const o = objectOf(entry);
    const b = objectOf(o?.['body']);
    if (o === null || b === null) return [];
    const read = askedOf(o, b);
    return read === null ? [] : [read];
  });
}

function askedOf(o: Json, b: Json): StopAsked | null {
  const approvalId = textIn(o, 'approvalId');
  const reason = textIn(b, 'reason');
  if (approvalId === null || reason === null) return null;
  const ground = STOP_GROUNDS.find((g) => g === b['ground']);
  const effectiveOn = textIn(b, 'effectiveOn');
  if (o['step'] === 'stop' && ground !== undefined && effectiveOn !== null)
    return { step: 'stop', approvalId, body: { ground, effectiveOn, reason } };
  const stopId = textIn(o, 'stopId');
  const resumedOn = textIn(b, 'resumedOn');
  if (o['step'] === 'resume' && stopId !== null && resumedOn !== null)
    return { step: 'resume', approvalId, stopId, body: { resumedOn, reason } };
  return null;
}
