/**
 * Reports of an evaluation for people: a terminal table, Markdown, and a self-contained HTML page
 * (inline CSS, no scripts, no remote resources, every text escaped) that a student can open in a
 * browser. The JSON form is the ACI-BENCH-shaped `results` object itself.
 */
import { EMPTY_SECTION } from '../../datasets/index';
import { metadataGroupValue, type Evaluation, type GroupScores, type NoteScores } from './aggregate';
import { ROUGE_TYPES } from './rouge';

/** Plain-language meaning of each reported figure. */
export const METRIC_EXPLANATIONS: Readonly<Record<string, string>> = {
  rouge1: 'Share of single words the generated note and the reference note have in common (F1 of word overlap).',
  rouge2: 'The same for pairs of consecutive words, so it rewards getting short phrases right.',
  rougeL: 'Longest run of words appearing in both notes in the same order (gaps allowed), over the whole note at once.',
  rougeLsum: 'rougeL computed line by line and combined; the ACI-BENCH paper tables call this "ROUGE-L".',
  'bertscore-f1': 'Similarity of meaning: each word is matched to its most similar word on the other side using a language model, so synonyms count.',
};

const SECTION_NAMES: Record<string, string> = {
  subjective: 'Subjective (history, complaints)',
  objective_exam: 'Objective: exam',
  objective_results: 'Objective: results',
  assessment_and_plan: 'Assessment and plan',
};

/** A score as the paper prints it: F1 × 100 with two decimals ("39.20"). */
export function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : (x * 100).toFixed(2);
}

/** The results object as JSON, indented like ACI-BENCH's results files. */
export function toJson(ev: Evaluation): string {
  return JSON.stringify(ev.results, null, 4) + '\n';
}

function metricsOf(ev: Evaluation): string[] {
  return ev.settings.bertscore ? [...ROUGE_TYPES, 'bertscore-f1'] : [...ROUGE_TYPES];
}

interface Row {
  label: string;
  support?: number;
  scores: GroupScores;
}

function groupRows(ev: Evaluation, prefix: string): Row[] {
  return Object.entries(ev.results)
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => {
      const m = /\(support:(\d+)\)$/.exec(k);
      return { label: k.slice(prefix.length).replace(/\(support:\d+\)$/, ''), ...(m ? { support: Number(m[1]) } : {}), scores: v as GroupScores };
    });
}

/** The parts every report shows, in order. */
function sections(ev: Evaluation): { title: string; rows: Row[] }[] {
  const n = ev.results.num_test;
  const count = (pred: (s: NoteScores) => boolean) => ev.notes.filter(pred).length;
  const out: { title: string; rows: Row[] }[] = [
    { title: 'Overall', rows: [{ label: 'All notes', support: n, scores: ev.results.ALL as GroupScores }] },
    { title: 'By subset', rows: groupRows(ev, 'dataset-').map((r) => ({ ...r, support: count((s) => s.dataset === r.label) })) },
    { title: 'By section (ACI-BENCH section tagger; a section missing from one note scores 0, from both 100)', rows: groupRows(ev, 'division-').map((r) => ({ ...r, label: SECTION_NAMES[r.label] ?? r.label, support: n })) },
    { title: 'By dialogue length', rows: ev.bySourceLength.map((b) => ({ label: b.label, support: b.support, scores: b.scores })) },
  ];
  for (const col of ['patient_gender', 'cc', '2nd_complaints']) {
    const rows = metadataRows(ev, col);
    if (rows.length) out.push({ title: `By ${col.replace('_', ' ')} (metadata)`, rows });
  }
  return out.filter((s) => s.rows.length > 0);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * A metadata breakdown for people: values trimmed and compared without case ("male" and "male "
 * are one group), and encounters without a value left out rather than shown as "#####EMPTY#####".
 * (The JSON keeps ACI-BENCH's own groups, values as written, for comparison with published figures.)
 */
function metadataRows(ev: Evaluation, col: string): Row[] {
  const groups = new Map<string, { label: string; notes: NoteScores[] }>();
  for (const s of ev.notes) {
    if (!s.metadata || !(col in s.metadata)) continue;
    const raw = metadataGroupValue(s.metadata[col]).trim();
    if (!raw || raw === EMPTY_SECTION) continue;
    const key = raw.toLowerCase().replace(/\s+/g, ' ');
    const g = groups.get(key) ?? { label: raw.replace(/\s+/g, ' '), notes: [] };
    g.notes.push(s);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.notes.length - a.notes.length || a.label.localeCompare(b.label))
    .map((g) => {
      const scores: GroupScores = {};
      for (const t of ROUGE_TYPES) scores[t] = mean(g.notes.map((s) => s.full[t].fmeasure));
      if (g.notes.every((s) => s.bertscore)) scores['bertscore-f1'] = mean(g.notes.map((s) => s.bertscore!.full.f1));
      return { label: g.label, support: g.notes.length, scores };
    });
}

/** Notes from the lowest full-note rougeLsum up (the ones to read first). */
export function worstNotes(ev: Evaluation): NoteScores[] {
  return [...ev.notes].sort((a, b) => a.full.rougeLsum.fmeasure - b.full.rougeLsum.fmeasure || a.index - b.index);
}

function matchedLine(ev: Evaluation): string {
  const how = ev.matchedBy === 'encounter_id' ? 'matched by encounter_id' : 'matched by row order (no encounter_id on every row)';
  return `${ev.results.num_test} notes, ${how}; ROUGE ${ev.settings.useStemmer ? 'with' : 'without'} stemming (ACI-BENCH: without).`;
}

/** A readable plain-text summary for the terminal: overall, subsets, sections, length, worst notes. */
export function formatTable(ev: Evaluation, worst = 5): string {
  const metrics = metricsOf(ev);
  const lines = [matchedLine(ev), 'Scores are F1 × 100 (higher is better).', ''];
  for (const sec of sections(ev)) {
    if (sec.title.includes('metadata')) continue;
    const labelW = Math.max(12, ...sec.rows.map((r) => r.label.length)) + 2;
    lines.push(sec.title);
    lines.push(`  ${''.padEnd(labelW)}${'notes'.padStart(6)}${metrics.map((m) => m.padStart(14)).join('')}`);
    for (const r of sec.rows) lines.push(`  ${r.label.padEnd(labelW)}${String(r.support ?? '').padStart(6)}${metrics.map((m) => pct(r.scores[m]).padStart(14)).join('')}`);
    lines.push('');
  }
  const meta = sections(ev).filter((s) => s.title.includes('metadata'));
  if (meta.length) lines.push(`Metadata breakdowns (${meta.map((s) => `${s.rows.length} ${s.title.replace(/^By | \(metadata\)$/g, '')} groups`).join(', ')}) are in --json, --markdown and --html.`, '');
  lines.push(`Lowest-scoring notes (rougeLsum of the full note):`);
  for (const s of worstNotes(ev).slice(0, worst)) lines.push(`  ${(s.encounterId || `#${s.index + 1}`).padEnd(10)} ${s.dataset.padEnd(11)} rougeLsum ${pct(s.full.rougeLsum.fmeasure)}  rouge1 ${pct(s.full.rouge1.fmeasure)}`);
  return lines.join('\n') + '\n';
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The evaluation as Markdown: metric explanations, one table per breakdown, and every note. */
export function toMarkdown(ev: Evaluation): string {
  const metrics = metricsOf(ev);
  const out = ['# Evaluation report', '', matchedLine(ev), 'Scores are F1 × 100 (higher is better).', '', '## What the numbers mean', ''];
  for (const m of metrics) out.push(`- **${m}**: ${METRIC_EXPLANATIONS[m]}`);
  out.push('');
  const table = (sec: { title: string; rows: Row[] }) => {
    out.push(`## ${sec.title}`, '', `| group | notes | ${metrics.join(' | ')} |`, `| --- | ---: | ${metrics.map(() => '---:').join(' | ')} |`);
    for (const r of sec.rows) out.push(`| ${mdCell(r.label)} | ${r.support ?? ''} | ${metrics.map((m) => pct(r.scores[m])).join(' | ')} |`);
    out.push('');
  };
  const all = sections(ev);
  all.filter((sec) => !sec.title.includes('metadata')).forEach(table);
  // The notes to read come before the long metadata breakdowns.
  const worst = worstNotes(ev);
  out.push('## Every note, lowest rougeLsum first', '', `| encounter | subset | dialogue words | ${ROUGE_TYPES.join(' | ')} | sections missing from the note |`, `| --- | --- | ---: | ${ROUGE_TYPES.map(() => '---:').join(' | ')} | --- |`);
  for (const s of worst) {
    out.push(`| ${mdCell(s.encounterId || `#${s.index + 1}`)} | ${mdCell(s.dataset)} | ${s.sourceWords} | ${ROUGE_TYPES.map((t) => pct(s.full[t].fmeasure)).join(' | ')} | ${mdCell(missingSections(s))} |`);
  }
  out.push('');
  all.filter((sec) => sec.title.includes('metadata')).forEach(table);
  out.push('## The lowest-scoring notes, generated and reference', '');
  for (const s of worst.slice(0, 5)) {
    out.push(`### ${mdCell(s.encounterId || `#${s.index + 1}`)} (rougeLsum ${pct(s.full.rougeLsum.fmeasure)})`, '', '**Generated:**', '', '```text', s.prediction.trim() || '(blank)', '```', '', '**Reference:**', '', '```text', s.reference.trim(), '```', '');
  }
  return out.join('\n') + '\n';
}

function missingSections(s: NoteScores): string {
  return s.present.reference.filter((d) => !s.present.prediction.includes(d)).join(', ') || '–';
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f6f8fa}tr.low td{background:#fff4f4}dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}
dt{font-weight:600}dd{margin:0}.wide{overflow-x:auto;max-width:100%}.texts{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
pre{white-space:pre-wrap;word-break:break-word;font-size:.85rem;background:#f6f8fa;padding:.5rem;margin:0}details{margin:.3rem 0}.note{color:#57606a}.bar{display:inline-block;height:.6rem;background:#2f81f7;margin-left:.4rem;vertical-align:middle}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,pre{background:#161b22}th,td{border-color:#30363d}tr.low td{background:#2d1515}.note{color:#8b949e}}`;

/** The evaluation as one self-contained HTML page (no scripts, no remote resources). */
export function toHtml(ev: Evaluation, title = 'MediGen Lab evaluation report'): string {
  const metrics = metricsOf(ev);
  const h = escapeHtml;
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${h(title)}</h1>`,
    `<p>${h(matchedLine(ev))} Scores are F1 × 100: higher is better, 100 would be a word-for-word copy of the reference.</p>`,
    '<h2>What the numbers mean</h2><dl>',
    ...metrics.map((m) => `<dt>${h(m)}</dt><dd>${h(METRIC_EXPLANATIONS[m] ?? '')}</dd>`),
    '</dl>',
  ];
  const table = (sec: { title: string; rows: Row[] }) => {
    parts.push(`<h2>${h(sec.title)}</h2><div class="wide"><table><thead><tr><th>group</th><th>notes</th>${metrics.map((m) => `<th>${h(m)}</th>`).join('')}</tr></thead><tbody>`);
    for (const r of sec.rows) parts.push(`<tr><td>${h(r.label)}</td><td>${r.support ?? ''}</td>${metrics.map((m) => `<td>${pct(r.scores[m])}</td>`).join('')}</tr>`);
    parts.push('</tbody></table></div>');
  };
  const all = sections(ev);
  all.filter((sec) => !sec.title.includes('metadata')).forEach(table);
  const worst = worstNotes(ev);
  const lowCut = worst[Math.floor(worst.length / 4)]?.full.rougeLsum.fmeasure ?? 0;
  parts.push('<h2>Every note, lowest rougeLsum first</h2>', '<p class="note">Read the highlighted notes first: they are the bottom quarter. Open a row to see the generated note next to the reference. A section missing from the generated note scores 0 for that section.</p>');
  parts.push(`<div class="wide"><table><thead><tr><th>encounter</th><th>subset</th><th>dialogue words</th>${ROUGE_TYPES.map((t) => `<th>${t}</th>`).join('')}<th>sections missing</th></tr></thead><tbody>`);
  for (const s of worst) {
    const f = s.full.rougeLsum.fmeasure;
    parts.push(
      `<tr${f < lowCut ? ' class="low"' : ''}><td>${h(s.encounterId || `#${s.index + 1}`)}</td><td>${h(s.dataset)}</td><td>${s.sourceWords}</td>` +
        ROUGE_TYPES.map((t) => `<td>${pct(s.full[t].fmeasure)}${t === 'rougeLsum' ? `<span class="bar" style="width:${Math.round(f * 60)}px"></span>` : ''}</td>`).join('') +
        `<td>${h(missingSections(s))}</td></tr>` +
        `<tr><td colspan="${4 + ROUGE_TYPES.length}"><details><summary>notes of ${h(s.encounterId || `#${s.index + 1}`)}</summary><div class="texts"><div><strong>Generated</strong><pre>${h(s.prediction.trim() || '(blank)')}</pre></div><div><strong>Reference</strong><pre>${h(s.reference.trim())}</pre></div></div></details></td></tr>`,
    );
  }
  parts.push('</tbody></table></div>');
  all.filter((sec) => sec.title.includes('metadata')).forEach(table);
  parts.push('<p class="note">Made by MediGen Lab. Everything was computed on this computer.</p>', '</body></html>');
  return parts.join('\n') + '\n';
}
