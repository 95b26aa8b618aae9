/**
 * The events that end, suspend or resume a survivor's pension (docs/benefits.md, "Survivors'
 * pensions end"), alone in a module without imports so the web's form takes the list without the
 * plan's dependencies.
 */
export const SURVIVOR_EVENT_KINDS = [
  'aged_out',
  'employed',
  'remarried',
  'adopted',
  'died',
  'imprisoned',
  'released',
] as const;

export type SurvivorEventKind = (typeof SURVIVOR_EVENT_KINDS)[number];
