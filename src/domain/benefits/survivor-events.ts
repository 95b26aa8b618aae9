/**
 * The events that end, suspend, resume or raise a survivor's pension (docs/benefits.md, "Survivors'
 * pensions end"; `orphan_or_sole_elder`: the dependant becomes an orphan or a 孤寡老人 after the
 * decision, "Survivors' 10 % added later"), alone in a module without imports so the web's form takes the list without the
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
  'orphan_or_sole_elder',
] as const;

export type SurvivorEventKind = (typeof SURVIVOR_EVENT_KINDS)[number];
