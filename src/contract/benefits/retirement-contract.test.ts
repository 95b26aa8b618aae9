import { describe, expect, it } from 'vitest';
import { PENSION_FEN_MAX } from '../../domain/benefits/retirement.ts';
import { retireCliOptions, retirementBody } from './retirement-contract.ts';

const cli = {
  region: '330100',
  worker: 'wkr_0123456789abcdef',
  retiredOn: '2025-07-15',
  pensionFen: '398765',
  evidence: '杭社保养〔2025〕123号',
  as: 'hz.handler',
};

describe('retirement contract', () => {
  it('reads the CLI’s pension as whole fen, and leaves a negative one to the use case', () => {
    expect(retireCliOptions.parse(cli).pensionFen).toBe(398_765);
    expect(retireCliOptions.parse({ ...cli, pensionFen: '-1' }).pensionFen).toBe(-1);
    // Yuan with a decimal point is not fen: refused at the boundary, not rounded.
    expect(retireCliOptions.safeParse({ ...cli, pensionFen: '3987.65' }).success).toBe(false);
  });

  it('names every problem of a body at once, and keeps the limit to the domain', () => {
    const bad = retirementBody.safeParse({ retiredOn: '2025-02-30', pensionFen: 1.5, x: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.') || i.code).sort();
    expect(paths).toEqual(['evidence', 'pensionFen', 'retiredOn', 'unrecognized_keys']);
    const absurd = { retiredOn: '2025-07-15', pensionFen: PENSION_FEN_MAX + 1, evidence: 'x' };
    expect(retirementBody.safeParse(absurd).success).toBe(true);
  });
});
