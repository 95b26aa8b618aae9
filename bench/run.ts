import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
mkdirSync(join(here, 'results'), { recursive: true });
let failures = 0;
for (const file of files) {
  const mod = (await import(join(here, file))) as { benchmark?: Benchmark };
  const bench = mod.benchmark;
  if (!bench) throw new Error(`${file} exports no "benchmark"`);
  if (wanted.size > 0 && !wanted.has(bench.name)) continue;
  process.stdout.write(`▶ ${bench.name} … `);
  const out = await bench.run();
  const results: BenchResult[] = Array.isArray(out) ? out : [out];
  for (const r of results) {
    writeFileSync(join(here, 'results', `${r.name}.json`), `${JSON.stringify(r, null, 2)}\n`);
    const t = r.target
      ? ` target: ${r.target.description} → ${r.target.met ? 'met' : 'NOT MET'}`
      : '';
    if (r.target && !r.target.met) failures += 1;
    process.stdout.write(
      `\n  ${r.name}: ${r.figure.toFixed(1)} ${r.unit} vs ${r.baselineLabel} ${r.baseline.toFixed(1)} → ratio ${r.ratio.toFixed(3)}${t}`,
    );
  }
  process.stdout.write('\n');
}
console.log(failures === 0 ? 'all targets met' : `${failures} target(s) not met`);
