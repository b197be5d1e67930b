/**
 * Plain-text renderings of the datasets reports, for the CLI and the extension's output panel.
 * These build strings; they never print.
 */
import { relative } from 'node:path';
import type { LengthReport } from './instructions';
import type { AgreementReport } from './sectionAgreement';
import type { NoteSection } from './sections';
import type { SplitStats } from './stats';
import { DIVISIONS, type Division } from './types';
import { PROBLEM_TITLES, type ValidationProblem, type ValidationReport } from './validate';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number, d = 1) => x.toFixed(d);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (r: string[]) => r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A short path for messages: relative to the working folder when that is shorter. */
export function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && rel.length < file.length ? rel : file;
}

/**
 * Validation reports grouped by kind of problem: a heading per kind, up to `perGroup` problems
 * each (with file:line), and the hint once. Defaults to 10 per group.
 */
export function formatValidation(reports: readonly ValidationReport[], perGroup = 10): string {
  const out: string[] = [];
  for (const r of reports) {
    const status = r.errors ? `${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}` : r.warnings ? `OK with ${plural(r.warnings, 'warning')}` : 'OK';
    out.push(`${r.name} (${shortPath(r.file)}): ${plural(r.rows, 'row')} — ${status}`);
    const groups = new Map<string, ValidationProblem[]>();
    for (const p of r.problems) groups.set(`${p.severity}:${p.code}`, [...(groups.get(`${p.severity}:${p.code}`) ?? []), p]);
    const order = Object.keys(PROBLEM_TITLES);
    const rank = (k: string) => (k.startsWith('error') ? 0 : 1000) + (order.includes(k.split(':')[1]!) ? order.indexOf(k.split(':')[1]!) : 999);
    const keys = [...groups.keys()].sort((a, b) => rank(a) - rank(b));
    for (const key of keys) {
      const list = groups.get(key)!;
      const first = list[0]!;
      out.push(`  ${first.severity === 'error' ? 'ERROR' : 'warning'} · ${PROBLEM_TITLES[first.code] ?? first.code} (${list.length})`);
      for (const p of list.slice(0, perGroup)) out.push(`    ${shortPath(p.file)}${p.line ? `:${p.line}` : ''}  ${p.message}`);
      if (list.length > perGroup) out.push(`    … and ${list.length - perGroup} more (use --json to see them all)`);
      out.push(`    What to do: ${first.hint}`);
    }
  }
  const errors = reports.reduce((s, r) => s + r.errors, 0);
  const warnings = reports.reduce((s, r) => s + r.warnings, 0);
  out.push('');
  out.push(errors ? `${plural(errors, 'error')} and ${plural(warnings, 'warning')}. Fix the errors above, then run the validation again.` : `No errors${warnings ? ` (${plural(warnings, 'warning')}: worth a look, nothing blocks you)` : ''}. The data is ready to use.`);
  return out.join('\n') + '\n';
}

/** A Table-1-style statistics table, one row per split. */
export function formatStats(stats: readonly SplitStats[]): string {
  const tok = stats.some((s) => s.dialogueTokens);
  const head = ['split', 'encounters', 'avg turns', 'avg dialogue words', 'avg note words', ...(tok ? ['avg dialogue tokens', 'avg note tokens'] : []), 'subsets'];
  const rows = stats.map((s) => [
    s.split,
    String(s.encounters),
    num(s.turns.mean),
    num(s.dialogueWords.mean),
    num(s.noteWords.mean),
    ...(tok ? [s.dialogueTokens ? num(s.dialogueTokens.mean) : '-', s.noteTokens ? num(s.noteTokens.mean) : '-'] : []),
    Object.entries(s.subsets)
      .map(([k, v]) => `${k || '(none)'} ${v}`)
      .join(', '),
  ]);
  const lines = [table(head, rows), ''];
  lines.push(`Words are whitespace-separated tokens${tok ? `; tokens are counted with the ${stats.find((s) => s.tokenizer)?.tokenizer} tokenizer (no special tokens)` : ''}.`);
  const speakers = stats.map((s) => `${s.split}: ${Object.entries(s.speakers).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`Turns per speaker — ${speakers.join(' · ')}`);
  return lines.join('\n') + '\n';
}

/** The problems behind a stats table (for standard error), or '' when there are none. */
export function formatStatsProblems(stats: readonly SplitStats[]): string {
  const out: string[] = [];
  for (const s of stats) {
    if (!s.problems?.length) continue;
    const errors = s.problems.filter((p) => p.severity === 'error').length;
    out.push(errors ? `The figures of ${s.split} (${shortPath(s.file)}) cannot be trusted:` : `Warnings for ${s.split} (${shortPath(s.file)}):`);
    for (const p of s.problems.slice(0, 5)) out.push(`  ${p.severity}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`, `    What to do: ${p.hint}`);
    if (s.problems.length > 5) out.push(`  … and ${s.problems.length - 5} more: run \`medigen data validate ${shortPath(s.file)}\` to see them all.`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** A note divided into ACI-BENCH's sections, each with its text indented. */
export function formatDivision(id: string, division: Partial<Record<Division, NoteSection>>): string {
  const out = [`Encounter ${id}: the section tagger divides the note like this:`, ''];
  for (const d of DIVISIONS) {
    const s = division[d];
    out.push(`== ${d} ${s ? `(characters ${s.start}-${s.end})` : '(absent: this note has no header for it)'}`);
    if (s) out.push(...s.text.trimEnd().split('\n').map((l) => (l ? `   ${l}` : '')));
    out.push('');
  }
  return out.join('\n');
}

/** The tagger-vs-official agreement table. */
export function formatAgreement(r: AgreementReport): string {
  const rows = r.divisions.map((d) => [d.division, `${d.exactMatches}/${d.notes}`, pct(d.exactMatchRate), pct(d.presenceAgreementRate), `${d.officialPresent}/${d.taggerPresent}`, num(d.meanTokenF1, 3)]);
  rows.push(['mean', '', pct(r.overall.exactMatchRate), pct(r.overall.presenceAgreementRate), '', num(r.overall.meanTokenF1, 3)]);
  const lines = [
    `Section tagger vs ACI-BENCH's official division (${r.splits.join(' + ')}, ${plural(r.notes, 'note')}; ${shortPath(r.sectionsDir)}):`,
    '',
    table(['division', 'exact', 'exact %', 'presence agree', 'present official/tagger', 'token F1'], rows),
    '',
    'exact: same text after whitespace normalisation · presence: both say the section is there (or both say it is not) · token F1: word overlap.',
  ];
  const differing = r.divisions.filter((d) => d.mismatches.length);
  if (differing.length) lines.push(`Notes that differ: ${differing.map((d) => `${d.division}: ${d.mismatches.slice(0, 6).join(', ')}${d.mismatches.length > 6 ? ', …' : ''}`).join(' · ')}`);
  if (r.missingNotes.length) lines.push(`${plural(r.missingNotes.length, 'official encounter')} had no note in the corpus: ${r.missingNotes.slice(0, 6).join(', ')}`);
  return lines.join('\n') + '\n';
}

/** The token-length report of an export: summary and the examples that would be truncated. */
export function formatLengthReport(r: LengthReport, limit = 20): string {
  const unit = r.counter === 'whitespace' ? 'whitespace tokens' : `${r.counter} tokens`;
  const lines = [`${plural(r.examples.length, 'example')}; length in ${unit}: mean ${num(r.meanTotal)}, longest ${r.maxTotal}; budget ${r.budget}.`];
  if (r.overBudget.length === 0) {
    lines.push('Every example fits the budget: nothing would be truncated.');
  } else {
    lines.push(`${plural(r.overBudget.length, 'example')} exceed the budget and would be truncated in training:`);
    lines.push(table(['encounter', 'prompt', 'note', 'total', 'over by'], r.overBudget.slice(0, limit).map((x) => [x.encounterId, String(x.promptTokens), String(x.outputTokens), String(x.total), String(x.over)])));
    if (r.overBudget.length > limit) lines.push(`… and ${r.overBudget.length - limit} more.`);
    lines.push('What to do: raise --max-tokens if your model has a longer context, shorten the instruction, or leave these examples out.');
  }
  if (r.counter === 'whitespace') lines.push('Counts are whitespace tokens; a model tokenizer gives more (often about 1.3x for English). Pass --tokenizer <model folder> for exact counts.');
  return lines.join('\n') + '\n';
}
