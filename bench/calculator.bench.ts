import fc from 'fast-check';
import { anyValidInputArb } from '../src/rules/calculator/arbitraries.ts';
import {
  calculate,
  calculateFromUnknown,
  calculationInputSchema,
} from '../src/rules/calculator/index.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';
import { type Benchmark, type BenchResult, opsPerSecond } from './harness.ts';

const TARGET = 100_000;

/**
 * Calculator throughput on one core, in cases/s, on 2,000 varied valid cases (disability and death,
 * four regions, 2018–2025). The baseline in the same run is JSON.parse + zod validation +
 * JSON.stringify of the same inputs ("parse and serialise only").
 * - calculator-no-trace / -with-trace: `calculate()` on validated input: the rules' own work. The
 *   issue's target (≥ 100,000 cases/s without trace) is judged on this figure.
 * - calculator-e2e-*: JSON text → calculateFromUnknown → JSON text, i.e. baseline work + rules; it
 *   cannot exceed the baseline, which zod validation bounds.
 */
export const benchmark: Benchmark = {
  name: 'calculator',
  run: async () => {
    const { benefits } = loadRuleBook();
    const bodies = fc.sample(anyValidInputArb, { numRuns: 2000, seed: 42 });
    const texts = bodies.map((b) => JSON.stringify(b));
    const inputs = bodies.map((b) => calculationInputSchema.parse(b));
    let i = 0;
    let sink = 0;
    const nextText = () => {
      i = (i + 1) % texts.length;
      return texts[i]!;
    };
    const nextInput = () => {
      i = (i + 1) % inputs.length;
      return inputs[i]!;
    };
    const baselineOnce = () => {
      const parsed = calculationInputSchema.safeParse(JSON.parse(nextText()));
      sink += JSON.stringify(parsed.data).length;
    };
    const coreOnce = (withTrace: boolean) => () => {
      const r = calculate(nextInput(), benefits, { withTrace });
      if (!r.ok) throw new Error(`benchmark case refused: ${r.message}`);
      sink += r.value.items.length;
    };
    const e2eOnce = (withTrace: boolean) => () => {
      const r = calculateFromUnknown(JSON.parse(nextText()), benefits, { withTrace });
      if (!r.ok) throw new Error(`benchmark case refused: ${JSON.stringify(r.body)}`);
      sink += JSON.stringify(r.body).length;
    };
    // Warm up the JIT and the parameter memo before measuring.
    for (let k = 0; k < 20_000; k++) coreOnce(false)();
    for (let k = 0; k < 4_000; k++) e2eOnce(true)();
    const ms = Number(process.env['BENCH_MS'] ?? 2000);
    const baseline = opsPerSecond(baselineOnce, ms);
    const core = opsPerSecond(coreOnce(false), ms);
    const coreTrace = opsPerSecond(coreOnce(true), ms);
    const e2e = opsPerSecond(e2eOnce(false), ms);
    const e2eTrace = opsPerSecond(e2eOnce(true), ms);
    const baselineLabel = 'JSON.parse + zod + JSON.stringify only';
    const result = (name: string, figure: number, notes: string): BenchResult => ({
      name,
      unit: 'cases/s',
      figure,
      baseline,
      baselineLabel,
      ratio: figure / baseline,
      notes,
      extra: { cases: texts.length, measureMs: ms, sink },
    });
    return [
      {
        ...result(
          'calculator-no-trace',
          core,
          'calculate(input, { withTrace: false }) on validated input',
        ),
        target: { description: `≥ ${TARGET} cases/s without trace, one core`, met: core >= TARGET },
      },
      result('calculator-with-trace', coreTrace, 'calculate(input) with the bilingual trace built'),
      result(
        'calculator-e2e-no-trace',
        e2e,
        'JSON text → calculateFromUnknown(withTrace: false) → JSON text',
      ),
      result(
        'calculator-e2e-with-trace',
        e2eTrace,
        'JSON text → calculateFromUnknown → JSON text with the trace',
      ),
    ];
  },
};
