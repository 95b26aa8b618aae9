import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { materialsChecklist, materialsCompleteness } from './materials-checklist.ts';

const rules = testRuleBook().benefits;

function checklistOf(type: 'accident' | 'occupational_disease', date = '2025-06-01') {
  const out = materialsChecklist(rules, '330100', type, date);
  if (!out.ok) throw new Error(out.message);
  return out.value;
}

describe('the materials checklist (《工伤保险条例》第十八条第一款)', () => {
  it('an accident needs the form, the labour relation and the medical diagnosis', () => {
    expect(checklistOf('accident')).toEqual([
      { code: 'application_form', when: 'always' },
      { code: 'labour_relation_proof', when: 'always' },
      { code: 'medical_diagnosis', when: 'always' },
      { code: 'death_certificate', when: 'death' },
    ]);
  });

  it('an occupational disease needs the 职业病诊断证明书 instead of the medical diagnosis', () => {
    const codes = checklistOf('occupational_disease').map((i) => i.code);
    expect(codes).toContain('occupational_disease_diagnosis');
    expect(codes).not.toContain('medical_diagnosis');
  });

  it('has no checklist before the 2010 revision took effect (a declared refusal, not a guess)', () => {
    const out = materialsChecklist(rules, '330100', 'accident', '2010-12-31');
    expect(out.ok ? 'ok' : out.code).toBe('rules.parameter_missing');
  });
});

describe('completeness', () => {
  const list = checklistOf('accident');

  it('names every missing item at once (第十八条第三款: 一次性书面告知)', () => {
    const c = materialsCompleteness(
      list,
      [{ itemCode: 'application_form', withdrawn: false }],
      false,
    );
    expect(c.missing).toEqual(['labour_relation_proof', 'medical_diagnosis']);
    expect(c.complete).toBe(false);
    expect(c.items.find((i) => i.code === 'application_form')).toMatchObject({
      present: true,
      count: 1,
    });
  });

  it('a withdrawn file does not count; `other` files answer no item', () => {
    const c = materialsCompleteness(
      list,
      [
        { itemCode: 'application_form', withdrawn: true },
        { itemCode: 'other', withdrawn: false },
      ],
      false,
    );
    expect(c.missing).toContain('application_form');
  });

  it('counts the death certificate missing only when the worker died', () => {
    const all = ['application_form', 'labour_relation_proof', 'medical_diagnosis'].map(
      (itemCode) => ({ itemCode, withdrawn: false }),
    );
    expect(materialsCompleteness(list, all, false).complete).toBe(true);
    expect(materialsCompleteness(list, all, null).complete).toBe(true);
    expect(materialsCompleteness(list, all, true).missing).toEqual(['death_certificate']);
  });
});
