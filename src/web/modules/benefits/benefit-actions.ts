/** What the benefit panel's buttons depend on: the current decision's status and kind. */
export type DecisionState = {
  status: 'proposed' | 'approved' | 'superseded' | 'replaced';
  kind: 'disability' | 'death' | 'missing';
};

export type PanelActions = { propose: boolean; deathFacts: boolean; regrade: boolean };

/**
 * The steps the panel offers. `regrading`: the case has an approved decision, so a proposal beside
 * it is a regrade, and the first decision's form and the death facts are refused by the server
 * (benefit.decision_already_approved): proposing again during a regrade is the regrade's own step
 * (a new regrade proposal supersedes the open one).
 */
export function panelActions(current: DecisionState | null, regrading: boolean): PanelActions {
  const first = current?.status !== 'approved' && !regrading;
  return {
    propose: first,
    deathFacts: first,
    regrade: current?.kind === 'disability' && (current.status === 'approved' || regrading),
  };
}
