import { Form, type FormInstance } from 'antd';
import { useState } from 'react';
import { ApiError, api, describeError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Calculation, parseCalculation } from './calculation-result.ts';
import {
  buildCalculationInput,
  type CalculatorFormValues,
  type FormFieldName,
  formTargetForPath,
} from './calculator-input.ts';

/** The server's problems, sorted by where the form can show them. */
export type ServerProblems = {
  wages: string[];
  dependants: string[];
  general: string[];
  fieldNames: FormFieldName[];
};

const noProblems: ServerProblems = { wages: [], dependants: [], general: [], fieldNames: [] };

type FieldProblem = { path: string; message: string };

/** The fields of the three ways to the retirement age (shown with the separation). */
const retirementFields = new Set([
  'retirementBasis',
  'retirementDate',
  'birthDate',
  'retirementAgeYears',
  'retirementAgeMonths',
]);

/** Whether a field is on screen for the chosen case kind (a hidden field cannot show an error). */
function isVisible(field: string | number | undefined, kind: string, separation: boolean): boolean {
  if (field === 'decisionDate' || field === 'nursingLevel' || field === 'employerArrangedWork')
    return kind === 'disability';
  if (field === 'occupationalDisease') return kind === 'disability';
  if (typeof field === 'string' && retirementFields.has(field))
    return kind === 'disability' && separation;
  if (field === 'separationEnabled') return kind === 'disability';
  if (field === 'separationDate' || field === 'yearsToRetirement')
    return kind === 'disability' && separation;
  if (field === 'deathDate' || field === 'deathCircumstance' || field === 'dependants')
    return kind === 'death';
  if (field === 'preDeathWage') return kind === 'death';
  return true;
}

/** Sorts the server's field problems: onto a visible field, under a list, or in the general box. */
function sortProblems(
  errors: FieldProblem[],
  kind: string,
  separationEnabled: boolean,
): { next: ServerProblems; byField: Map<string, { name: FormFieldName; messages: string[] }> } {
  const next: ServerProblems = { wages: [], dependants: [], general: [], fieldNames: [] };
  const byField = new Map<string, { name: FormFieldName; messages: string[] }>();
  for (const error of errors) {
    const target = formTargetForPath(error.path);
    const visible = target.kind !== 'field' || isVisible(target.name[0], kind, separationEnabled);
    if (target.kind === 'field' && visible) {
      const key = target.name.join('.');
      const entry = byField.get(key) ?? { name: target.name, messages: [] };
      entry.messages.push(error.message);
      byField.set(key, entry);
    } else if (target.kind === 'list') {
      next[target.list].push(error.message);
    } else {
      next.general.push(`${error.path}: ${error.message}`);
    }
  }
  next.fieldNames = [...byField.values()].map(({ name }) => name);
  return { next, byField };
}

/** The server's problems shown on the form's fields, lists and general box, and cleared again. */
function useServerProblems(form: FormInstance<CalculatorFormValues>) {
  // Errors are set by path, which the typed instance cannot express for list items.
  const untypedForm: FormInstance = form;
  const kind = Form.useWatch('kind', form) ?? 'disability';
  const separationEnabled = Form.useWatch('separationEnabled', form) === true;
  const [problems, setProblems] = useState<ServerProblems>(noProblems);

  const clearServerProblems = () => {
    untypedForm.setFields(problems.fieldNames.map((name) => ({ name, errors: [] })));
    setProblems(noProblems);
  };

  const showProblems = (errors: FieldProblem[]) => {
    const { next, byField } = sortProblems(errors, kind, separationEnabled);
    untypedForm.setFields(
      [...byField.values()].map(({ name, messages }) => ({ name, errors: messages })),
    );
    setProblems(next);
  };

  const resetProblems = () => setProblems(noProblems);
  return { problems, clearServerProblems, showProblems, resetProblems, untypedForm };
}

/** The calculator's state: submit (build the input, ask the server, show problems) and reset. */
export function useCalculator(form: FormInstance<CalculatorFormValues>) {
  const { t } = useI18n();
  const { problems, clearServerProblems, showProblems, resetProblems, untypedForm } =
    useServerProblems(form);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<Calculation | null>(null);

  const onFinish = async (values: CalculatorFormValues) => {
    clearServerProblems();
    setFailure(null);
    const built = buildCalculationInput(values);
    if (!built.ok) {
      untypedForm.setFields(
        built.invalidYuan.map((name) => ({ name, errors: [t('calc.invalidYuan')] })),
      );
      return;
    }
    setBusy(true);
    try {
      const parsed = parseCalculation(await api.calculate(built.input));
      if (parsed === null) throw new Error('unexpected answer');
      setResult(parsed);
    } catch (error) {
      setResult(null);
      const fieldErrors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
      if (fieldErrors.length > 0) showProblems(fieldErrors);
      else setFailure(t('calc.failed', { detail: describeError(error) }));
    } finally {
      setBusy(false);
    }
  };

  const onReset = () => {
    form.resetFields();
    resetProblems();
    setFailure(null);
    setResult(null);
  };

  return { problems, busy, failure, result, onFinish, onReset };
}
