/**
 * One table of results across systems (prediction files scored on the same reference notes):
 * ROUGE-1/2/L/Lsum of the full note, ROUGE-1 of each ACI-BENCH section, and BERTScore F1 where every
 * system has it, each as mean × 100 with a bootstrap 95% confidence interval; and, against the first
 * system (the baseline), the paired difference with its permutation-test p-value. As Markdown, CSV
 * or LaTeX. (The faithfulness figures of `medigen faithfulness` are not in this table yet.)
 */
import { DIVISIONS } from '../../datasets/index';
import type { Evaluation, NoteScores } from './aggregate';
import { bootstrapCi, pairedPermutationTest, type Interval } from './significance';

export interface ResultsSystem {
  name: string;
  evaluation: Evaluation;
}

interface Column {
  key: string;
  label: string;
  pick: (s: NoteScores) => number | undefined;
}

function columns(systems: readonly ResultsSystem[]): Column[] {
  const cols: Column[] = [
    { key: 'rouge1', label: 'R-1', pick: (s) => s.full.rouge1.fmeasure },
    { key: 'rouge2', label: 'R-2', pick: (s) => s.full.rouge2.fmeasure },
    { key: 'rougeL', label: 'R-L', pick: (s) => s.full.rougeL.fmeasure },
    { key: 'rougeLsum', label: 'R-Lsum', pick: (s) => s.full.rougeLsum.fmeasure },
    ...DIVISIONS.map((d) => ({ key: `${d}-rouge1`, label: `${d} R-1`, pick: (s: NoteScores) => s.sections[d].rouge1.fmeasure })),
  ];
  if (systems.every((x) => x.evaluation.notes.every((s) => s.bertscore))) cols.push({ key: 'bertscore-f1', label: 'BERTScore F1', pick: (s) => s.bertscore?.full.f1 });
  return cols;
}

export interface ResultsCell extends Interval {
  /** Versus the first system: mean difference and its p-value (absent for the first system). */
  vsBaseline?: { difference: number; p: number };
}

export interface ResultsTable {
  systems: string[];
  notes: number;
  columns: { key: string; label: string }[];
  /** rows[system][column] */
  cells: ResultsCell[][];
  settings: { resamples: number; permutations: number; seed: number };
}

/** Scores every system with CIs and paired tests against the first. All must cover the same notes in the same order. */
export function resultsTable(systems: readonly ResultsSystem[], o: { resamples?: number; permutations?: number; seed?: number } = {}): ResultsTable {
  if (!systems.length) throw new Error('resultsTable needs at least one system');
  const ids = (x: ResultsSystem) => x.evaluation.notes.map((s) => s.encounterId).join('\n');
  for (const x of systems.slice(1)) {
    if (ids(x) !== ids(systems[0]!)) throw new Error(`${x.name} is not scored on the same notes as ${systems[0]!.name}`);
  }
  const resamples = o.resamples ?? 1000;
  const permutations = o.permutations ?? 10000;
  const seed = o.seed ?? 0;
  const cols = columns(systems);
  const values = systems.map((x) => cols.map((c) => x.evaluation.notes.map((s) => c.pick(s)!)));
  const cells = systems.map((_, i) =>
    cols.map((_c, j) => {
      const ci = bootstrapCi(values[i]![j]!, { resamples, seed });
      return i === 0 ? ci : { ...ci, vsBaseline: pairedPermutationTest(values[i]![j]!, values[0]![j]!, { resamples: permutations, seed }) };
    }),
  );
  return { systems: systems.map((x) => x.name), notes: systems[0]!.evaluation.notes.length, columns: cols.map(({ key, label }) => ({ key, label })), cells, settings: { resamples, permutations, seed } };
}

const f = (x: number) => (x * 100).toFixed(2);
const stars = (p: number) => (p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');

function cellText(c: ResultsCell): string {
  return `${f(c.mean)} [${f(c.low)}, ${f(c.high)}]${c.vsBaseline ? ` ${c.vsBaseline.difference >= 0 ? '+' : ''}${f(c.vsBaseline.difference)}${stars(c.vsBaseline.p)}` : ''}`;
}

function legend(t: ResultsTable): string {
  return `${t.notes} notes. Each cell: mean F1 × 100 [bootstrap 95% CI, ${t.settings.resamples} resamples]; for systems after the first, the difference from ${t.systems[0]} with paired permutation-test significance (${t.settings.permutations} permutations; * p<0.05, ** p<0.01, *** p<0.001). Seed ${t.settings.seed}.`;
}

export function resultsMarkdown(t: ResultsTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| system | ${t.columns.map((c) => esc(c.label)).join(' | ')} |`,
    `| --- | ${t.columns.map(() => '---:').join(' | ')} |`,
    ...t.systems.map((s, i) => `| ${esc(s)} | ${t.cells[i]!.map(cellText).join(' | ')} |`),
    '',
    legend(t),
    '',
  ].join('\n');
}

export function resultsCsv(t: ResultsTable): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['system', 'metric', 'mean', 'ci_low', 'ci_high', 'diff_vs_first', 'p_vs_first', 'notes'];
  const rows = t.systems.flatMap((s, i) =>
    t.columns.map((c, j) => {
      const x = t.cells[i]![j]!;
      return [q(s), c.key, f(x.mean), f(x.low), f(x.high), x.vsBaseline ? f(x.vsBaseline.difference) : '', x.vsBaseline ? x.vsBaseline.p.toPrecision(3) : '', String(t.notes)].join(',');
    }),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}

export function resultsLatex(t: ResultsTable): string {
  const tex = (s: string) => s.replace(/([\\{}&%$#_^~])/g, (m) => (m === '\\' ? '\\textbackslash{}' : m === '^' ? '\\^{}' : m === '~' ? '\\~{}' : `\\${m}`));
  const cell = (c: ResultsCell) => `${f(c.mean)}\\,{\\scriptsize[${f(c.low)}, ${f(c.high)}]}${c.vsBaseline && stars(c.vsBaseline.p) ? `$^{${stars(c.vsBaseline.p)}}$` : ''}`;
  return [
    '% Generated by `medigen results`. Needs no extra packages.',
    '\\begin{table}[t]',
    '\\centering',
    `\\begin{tabular}{l${'r'.repeat(t.columns.length)}}`,
    '\\hline',
    `System & ${t.columns.map((c) => tex(c.label)).join(' & ')} \\\\`,
    '\\hline',
    ...t.systems.map((s, i) => `${tex(s)} & ${t.cells[i]!.map(cell).join(' & ')} \\\\`),
    '\\hline',
    '\\end{tabular}',
    `\\caption{${tex(legend(t))}}`,
    '\\end{table}',
    '',
  ].join('\n');
}
