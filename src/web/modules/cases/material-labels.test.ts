import { describe, expect, it } from 'vitest';
import { materialItemText } from './material-labels.ts';

describe('material item labels', () => {
  it('names a survivor’s paper in the law’s words with its dependant, no name or ID number', () => {
    expect(
      materialItemText('zh', {
        itemCode: 'dependant_no_income',
        dependant: { ordinal: 1, relation: 'parent' },
      }),
    ).toBe('街道办事处或者乡镇人民政府出具的无生活来源的证明 · 供养亲属2（父母）');
    expect(
      materialItemText('en', {
        itemCode: 'dependant_adoption',
        dependant: { ordinal: 0, relation: 'child' },
      }),
    ).toBe('Notarised adoption certificate · Dependant 1 (Child)');
  });

  it('keeps the checklist’s labels and "other" for anything else', () => {
    expect(materialItemText('zh', { itemCode: 'death_certificate', dependant: null })).toBe(
      '死亡证明',
    );
    expect(materialItemText('en', { itemCode: 'x', dependant: null })).toBe('Other material');
  });
});
