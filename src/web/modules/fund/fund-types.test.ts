import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { budgetResponse } from '../../../contract/fund/budgets/budgets-contract.ts';
import type { overviewResponse } from '../../../contract/fund/overview/overview-contract.ts';
import type { yearEndResponse } from '../../../contract/fund/pooling/year-end-contract.ts';
import type { BudgetView, FundOverview, JournalEntry, YearEnd } from './fund-types.ts';

// Type-level pins, checked by `npm run typecheck` (tsc reads test files too): the web's types are
// the contract schemas' outputs, so renaming or retyping a response field in src/contract/… breaks
// the typecheck here and in every page that reads the field.
describe('the fund pages read the server contract', () => {
  it('derives the answers from the response schemas', () => {
    expectTypeOf<FundOverview>().toEqualTypeOf<z.output<typeof overviewResponse>>();
    expectTypeOf<BudgetView>().toEqualTypeOf<z.output<typeof budgetResponse>>();
    expectTypeOf<YearEnd>().toEqualTypeOf<z.output<typeof yearEndResponse>>();
  });

  it('keeps the fields the pages rely on', () => {
    expectTypeOf<FundOverview['total']['balanceFen']>().toEqualTypeOf<number>();
    expectTypeOf<FundOverview['total']['monthsOfExpenditure']['months']>().toEqualTypeOf<
      string | null
    >();
    expectTypeOf<BudgetView['status']>().toEqualTypeOf<
      'draft' | 'submitted' | 'consolidated' | 'approved'
    >();
    expectTypeOf<JournalEntry['postings'][number]['amountFen']>().toEqualTypeOf<number>();
    expectTypeOf<YearEnd['mode']>().toEqualTypeOf<'adjustment_fund' | 'unified'>();
  });
});
