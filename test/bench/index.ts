/**
 * Runs every MediGen Lab benchmark in one process and prints a summary (`npm run bench`).
 * Exit code 1 when any benchmark misses its target or disagrees with its reference.
 * Add a benchmark by exporting `async () => BenchResult` from a file here and listing it below.
 */
import { benchExtension } from './extension';
import { benchGenerate } from './generate';
import { benchGrade } from './grade';
import { benchRouge, type BenchResult } from './rouge';
import { benchRougeLong } from './rougeLong';
import { benchSafety } from './safety';

const BENCHMARKS: { name: string; run: () => Promise<BenchResult | BenchResult[]> }[] = [
  { name: 'ROUGE scoring (3 test splits, full notes + sections)', run: () => benchRouge() },
  { name: 'ROUGE on one huge predicted note (0.46, 1.8, 20 MB)', run: () => benchRougeLong() },
  { name: 'Note generation on the tiny model (overhead, parallel)', run: () => benchGenerate() },
  { name: 'VS Code extension (lesson render, check round trip)', run: () => benchExtension() },
  { name: 'Grading a class (30 students × 10 exercises, one check process each)', run: () => benchGrade() },
  { name: 'Is this note safe? (faithfulness tracing, identifier guard; planted test1-3 data)', run: () => benchSafety() },
];

const results: BenchResult[] = [];
for (const b of BENCHMARKS) {
  process.stderr.write(`Running: ${b.name}…\n`);
  try {
    for (const r of [await b.run()].flat()) {
      results.push(r);
      console.log(r.line);
    }
  } catch (e) {
    results.push({ name: b.name, ok: false, line: `${b.name}: failed to run: ${(e as Error).message}`, figures: {} });
    console.log(results.at(-1)!.line);
  }
}
console.log('\nSummary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
