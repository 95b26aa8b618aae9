/**
 * A benchmark measures a figure and its baseline in the same run and reports the ratio, never an
 * absolute time alone. `npm run bench` runs every `bench/*.bench.ts` (or the names given) and writes
 * `bench/results/<name>.json`.
 */
export type BenchResult = {
  name: string;
  /** What the figure counts, e.g. "cases/s", "req/s", "rows/s". */
  unit: string;
  figure: number;
  baseline: number;
  baselineLabel: string;
  /** figure ÷ baseline. */
  ratio: number;
  /** Target stated by the issue, when there is one, and whether it was met. */
  target?: { description: string; met: boolean };
  notes?: string;
  extra?: Record<string, number | string>;
};

export type Benchmark = {
  name: string;
  run: () => Promise<BenchResult | BenchResult[]>;
};

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
export function opsPerSecond(fn: () => void, ms = 1000, batch = 100): number {
  const end = performance.now() + ms;
  let ops = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
  }
  return ops / ((performance.now() - start) / 1000);
}

/** The median of a non-empty list (the benchmarks combine paired rounds by it). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
