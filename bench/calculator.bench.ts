import fc from 'fast-check';
import { anyValidInputArb } from '../src/rules/calculator/arbitraries.ts';
import {
  calculate,
  calculateFromUnknown,
  calculationInputSchema,
  loadDefaultRuleSet,
} from '../src/rules/calculator/index.ts';
import { type Benchmark, type BenchResult, opsPerSecond } from './harness.ts';

const TARGET = 100_000;

/**
 * Calculator throughput on one core, in cases/s: JSON text in → JSON text out through
 * calculateFromUnknown (parse + validate + calculate + serialise), without and with the trace.
 * The baseline in the same run does only JSON.parse + zod + JSON.stringify of the same inputs, so
 * the ratio shows what the rules add on top of the unavoidable I/O work.
 */
export const benchmark: Benchmark = {
  name: 'calculator',
  run: async () => {
    loadDefaultRuleSet();
    // A fixed, varied set of valid cases (disability and death, 4 regions, 2018–2025).
    const bodies = fc.sample(anyValidInputArb, { numRuns: 2000, seed: 42 });
    const texts = bodies.map((b) => JSON.stringify(b));
    const parsedInputs = bodies.map((b) => calculationInputSchema.parse(b));
    let i = 0;
    const next = () => {
      i = (i + 1) % texts.length;
      return texts[i]!;
    };
    let sink = 0;
    const baselineOnce = () => {
      const parsed = calculationInputSchema.safeParse(JSON.parse(next()));
      sink += JSON.stringify(parsed.data).length;
    };
    const calcOnce = (withTrace: boolean) => () => {
      const r = calculateFromUnknown(JSON.parse(next()), { withTrace });
      if (!r.ok) throw new Error(`benchmark case refused: ${JSON.stringify(r.body)}`);
      sink += JSON.stringify(r.body).length;
    };
    const coreOnce = () => {
      i = (i + 1) % parsedInputs.length;
      const r = calculate(parsedInputs[i]!, { withTrace: false });
      if (!r.ok) throw new Error(r.message);
      sink += r.value.items.length;
    };
    // Warm up the JIT and the parameter memo before measuring.
    for (let k = 0; k < 20_000; k++) calcOnce(false)();
    for (let k = 0; k < 2_000; k++) calcOnce(true)();
    const ms = Number(process.env['BENCH_MS'] ?? 2000);
    const baseline = opsPerSecond(baselineOnce, ms);
    const noTrace = opsPerSecond(calcOnce(false), ms);
    const withTrace = opsPerSecond(calcOnce(true), ms);
    const core = opsPerSecond(coreOnce, ms);
    const label = 'parse+validate+serialise only (cases/s)';
    const results: BenchResult[] = [
      {
        name: 'calculator-no-trace',
        unit: 'cases/s',
        figure: noTrace,
        baseline,
        baselineLabel: label,
        ratio: noTrace / baseline,
        target: {
          description: `≥ ${TARGET} cases/s without trace, one core`,
          met: noTrace >= TARGET,
        },
        notes: 'JSON text → calculateFromUnknown(withTrace:false) → JSON text; 2,000 varied cases',
        extra: { calculateOnlyCasesPerSecond: Math.round(core), cases: texts.length, sink },
      },
      {
        name: 'calculator-with-trace',
        unit: 'cases/s',
        figure: withTrace,
        baseline,
        baselineLabel: label,
        ratio: withTrace / baseline,
        notes: 'same cases with the bilingual explanation trace built and serialised',
      },
    ];
    return results;
  },
};
