/**
 * What the shipped checks say to the mistakes new students made in walks of the course (helper
 * sessions trying each exercise as a student): each attempt is the solution with that one mistake,
 * run through the real check process, and the failing check must name the cause in the student's
 * terms. `validate` proves that these checks fail wrong answers; this proves what they say.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { checkMessageLines, explainJsError, explainValues, loadModule, runChecks } from '../../../../curriculum/engine/index';
import { tempDir } from '../engine/helpers';
import { runCli } from '../../../helpers/cli';

/** The messages of the failing checks of `exerciseId` on its solution with `from` replaced by `to`. */
async function messagesFor(moduleId: string, exerciseId: string, file: string, from: string, to: string): Promise<string> {
  const ex = await exercise(moduleId, exerciseId);
  const solution = readFileSync(join(ex.solutionDir, file), 'utf8');
  assert.ok(solution.includes(from), `the solution of ${exerciseId} no longer has ${from}`);
  return messagesOn(ex, file, solution.replace(from, to));
}

async function exercise(moduleId: string, exerciseId: string) {
  const loaded = await loadModule(join(projectRoot(), 'curriculum', 'modules', moduleId), { loadChecks: false });
  return loaded.module!.exercises.find((e) => e.id === exerciseId)!;
}

/** The messages of the failing checks of `ex` on `file` with `content`. */
async function messagesOn(ex: Awaited<ReturnType<typeof exercise>>, file: string, content: string): Promise<string> {
  const tmp = tempDir();
  try {
    const work = join(tmp.dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, file), content);
    const run = await runChecks({ exerciseDir: ex.dir, workDir: work, checkTimeoutMs: ex.timeLimitMs });
    assert.equal(run.status, 'failed', `the attempt passed or did not run: ${JSON.stringify(run.results.map((r) => [r.title, r.status]))}`);
    return run.results.filter((r) => r.status !== 'passed').map((r) => checkMessageLines(r).join('\n')).join('\n---\n');
  } finally {
    tmp.cleanup();
  }
}

describe('what the shipped checks say to students\' mistakes', function () {
  this.timeout(120_000);

  it('fit-16gb names a misspelled setting instead of ignoring it', async () => {
    const said = await messagesFor('fine-tuning', 'fit-16gb', 'fit.ts', 'gradientCheckpointing: true };', 'gradientCheckPointing: true } as unknown as MemorySettings;');
    assert.match(said, /"gradientCheckPointing" \(did you mean "gradientCheckpointing"\? capital letters count\) is not a setting MediGen Lab knows/);
  });

  it('read-curves says a point has step and value when a misspelled field gives nothing', async () => {
    const said = await messagesFor('fine-tuning', 'read-curves', 'curves.ts', 'bestLoss: best.value', 'bestLoss: (best as unknown as { loss: number }).loss');
    assert.match(said, /Your code gave no number for bestLoss .*point\.step and point\.value/);
  });

  it('scrub-before-sharing says placeholders are in capitals, and that replacing by text hit a word', async () => {
    const lower = await messagesFor('is-this-note-safe', 'scrub-before-sharing', 'scrub.ts', "PLACEHOLDERS[hit.kind].replace(']', ` ${n}]`)", "`[${hit.kind} ${n}]`");
    assert.match(lower, /Placeholders are written in capitals: \[NAME 1\], not \[name 1\]/);
    assert.doesNotMatch(lower, /pass knownNames/, 'blamed the known names, which were found');
    const ex = await exercise('is-this-note-safe', 'scrub-before-sharing');
    const firstMatch = await messagesOn(ex, 'scrub.ts', readFileSync(join(ex.dir, 'wrong', 'replaces-first-match', 'scrub.ts'), 'utf8'));
    assert.match(firstMatch, /your text: \[doctor\] before we start , one \[NAME 1\]ouncement[\s\S]*A placeholder landed inside a word: replacing by text/);
  });

  it('rouge1-by-hand says to give the full number when the score was rounded as the lesson prints it', async () => {
    const said = await messagesFor('scoring-notes', 'rouge1-by-hand', 'rouge1.ts', '  return { precision, recall, fmeasure };', '  return { precision: Math.round(precision * 100) / 100, recall, fmeasure };');
    assert.match(said, /rouge1 precision for .*your code gave 0\.\d\d?\.[\s\S]*Give the full number between 0 and 1, as it comes out of the division: not rounded, not times 100/);
  });

  it('rouge-l names a misspelled field of the result, and explains NaN from 0 / 0', async () => {
    const field = await messagesFor('scoring-notes', 'rouge-l', 'rougeL.ts', '  return { precision, recall, fmeasure };', '  return { precision, recall, fmesure: fmeasure } as unknown as Score;');
    assert.match(field, /Your result has no field fmeasure \(its fields: precision, recall, fmesure\)/);
    const nan = await messagesFor('scoring-notes', 'rouge-l', 'rougeL.ts', '  if (ref.length === 0 || pred.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };\n', '');
    assert.match(nan, /your code gave NaN/);
  });

  it('worst-note says a missed word is listed twice', async () => {
    const said = await messagesFor('scoring-notes', 'worst-note', 'worst.ts', ' && !missedWords.includes(word)', '');
    assert.match(said, /Your list has "shoulder" more than once \(the doctor wrote it twice\): add a word only when it is not in the list yet/);
  });

  it('review-a-batch says the rating is spelt "usable-as-is" when none matched', async () => {
    const said = await messagesFor('is-this-note-safe', 'review-a-batch', 'review.ts', "n.rating === 'usable-as-is'", "n.rating === ('Usable-as-is' as string)");
    assert.match(said, /Your code found no note rated usable as is: compare each rating with exactly "usable-as-is" \(small letters, with hyphens\)/);
  });
  it('four-sections-template names the placeholder meant, and a header with a number in front of it', async () => {
    const capital = await messagesFor('instruction-prompts', 'four-sections-template', 'template.ts', '{{dialogue}}`;', '{{Dialogue}}`;');
    assert.match(capital, /TEMPLATE: The template uses an unknown placeholder \{\{Dialogue\}\}\. Did you mean \{\{dialogue\}\}\? Placeholder names are written exactly, in small letters\. Use \{\{dialogue\}\}/);
    const numbered = await messagesFor('instruction-prompts', 'four-sections-template', 'template.ts', 'HISTORY OF PRESENT ILLNESS\nPHYSICAL', '1. HISTORY OF PRESENT ILLNESS\nPHYSICAL');
    assert.match(numbered, /The line "1\. HISTORY OF PRESENT ILLNESS" has something before the header \(a number, a dash, # or \*\*\): .* e\.g\. "HISTORY OF PRESENT ILLNESS"\./);
  });
  it('fit-the-budget says what differs in a marker written almost right, and a marker without its number', async () => {
    const spacing = await messagesFor('instruction-prompts', 'fit-the-budget', 'budget.ts', '`[... ${b - a} turns cut ...]`', '`[...${b - a} turns cut...]`');
    assert.match(spacing, /the marker line should be exactly "\[\.\.\. N turns cut \.\.\.\]".*yours is "\[\.\.\.\d+ turns cut\.\.\.\]"\./);
    const noNumber = await messagesFor('instruction-prompts', 'fit-the-budget', 'budget.ts', '`[... ${b - a} turns cut ...]`', '`[... ${[b - a][1]} turns cut ...]`');
    assert.match(noNumber, /yours is "\[\.\.\. undefined turns cut \.\.\.\]": its number is missing/);
  });
  it('instruction-jsonl names the first line and field of the file that differ, not two walls of JSON', async () => {
    const said = await messagesFor('instruction-prompts', 'instruction-jsonl', 'jsonl.ts', "{ format: 'chat', systemPrompt }", "{ format: 'chat', systemPrompt: 'You write notes.' }");
    assert.match(said, /buildChatJsonl: line 1 differs at messages\[0\]\.content\n  expected: "You write short, accurate clinic notes\."\n  got:      "You write notes\."/);
    assert.ok(said.length < 600, `the message is ${said.length} characters long:\n${said}`);
  });
  it('divide-a-note says to give \'\' for a section the note does not have, and names the untrimmed section', async () => {
    const ex = await exercise('cleaning-dialogues', 'divide-a-note');
    const missing = await messagesOn(ex, 'sections.ts', readFileSync(join(ex.dir, 'wrong', 'undefined-for-missing', 'sections.ts'), 'utf8'));
    assert.match(missing, /sectionsOf on a note with a header-less first line and two plan headers: (your object has no objective_results|objective_results is undefined)\. For a section the note does not have, give '' \(an empty text\)/);
    const untrimmed = await messagesOn(ex, 'sections.ts', readFileSync(join(ex.dir, 'wrong', 'untrimmed', 'sections.ts'), 'utf8'));
    assert.match(untrimmed, /: \w+ has blank space or empty lines at its start or end: trim each section/);
  });
  it('clean-step-by-step names a tab left before a mark, lines joined by \\s, and a step switched on with a word', async () => {
    const ex = await exercise('cleaning-dialogues', 'clean-step-by-step');
    const wrong = (name: string) => messagesOn(ex, 'clean.ts', readFileSync(join(ex.dir, 'wrong', name, 'clean.ts'), 'utf8'));
    assert.match(await wrong('spaces-only'), /fixSpacing left a tab before a mark in .*take both: \[ \\t\]\+\./);
    assert.match(await wrong('swallows-line-breaks'), /fixSpacing joined two lines of .*Only spaces and tabs go: write \[ \\t\]\+ \(a space or a tab\), not \\s\+/);
    assert.match(await wrong('steps-as-words'), /MY_STEPS: The step "normalizeSpeakerTags" is set to "yes"; a step is switched on with true or off with false\. Write normalizeSpeakerTags: true/);
  });
  it('divide-a-note says a note can start without a subjective section when the code counts on one', async () => {
    const ex = await exercise('cleaning-dialogues', 'divide-a-note');
    const said = await messagesOn(ex, 'sections.ts', readFileSync(join(ex.dir, 'wrong', 'subjective-always-there', 'sections.ts'), 'utf8'));
    assert.match(said, /sectionsOf stopped on a note that starts with PHYSICAL EXAMINATION: Cannot read properties of undefined \(reading 'text'\)\. Such a note has no subjective section/);
  });
  it('count-turns says a pattern of small letters skipped the tags in capitals, and corpus-table names the missing last line break', async () => {
    const turns = await exercise('meet-the-data', 'count-turns');
    const small = await messagesOn(turns, 'turns.ts', readFileSync(join(turns.dir, 'wrong', 'small-letters-pattern', 'turns.ts'), 'utf8'));
    assert.match(small, /Your code counted \d of the 5 turns: the tags written with capitals \(\[Doctor\], \[PATIENT\]\) were not found\. Let the pattern take capitals too/);
    const table = await exercise('meet-the-data', 'corpus-table');
    const unfinished = await messagesOn(table, 'table.ts', readFileSync(join(table.dir, 'wrong', 'last-line-unfinished', 'table.ts'), 'utf8'));
    assert.match(unfinished, /statsTable's last line has no line break: every line ends with '\\n', the last row's too/);
  });
  it('a function without return: the plain words say it gave back nothing, not to look before .at on its header', async () => {
    const ex = await exercise('cleaning-dialogues', 'clean-step-by-step');
    const solution = readFileSync(join(ex.solutionDir, 'clean.ts'), 'utf8');
    const tmp = tempDir();
    try {
      const work = join(tmp.dir, 'work');
      mkdirSync(work);
      writeFileSync(join(work, 'clean.ts'), solution.replace('  return results;\n', ''));
      const run = await runChecks({ exerciseDir: ex.dir, workDir: work, checkTimeoutMs: ex.timeLimitMs });
      const plain = run.results.filter((r) => r.status === 'failed').map((r) => (r.message ? explainJsError(r.message, r.location) : undefined) ?? explainValues(r));
      const readingAt = run.results.find((r) => /reading 'at'/.test(r.message ?? ''));
      assert.ok(readingAt, 'no check read .at of the missing result');
      assert.match(explainJsError(readingAt.message!, readingAt.location)!, /^The check asked for \.at of what your function gave back \(or of one of its fields\), and that is undefined.*ends with return and the value/);
      assert.ok(plain.some((p) => p && /^undefined means "nothing"/.test(p)), plain.join('\n'));
    } finally {
      tmp.cleanup();
    }
  });
  it('if (tag = null) on a const says to compare with ===, not to change const to let, and the CLI shows the slip first and a repeated failure once', async () => {
    const ex = await exercise('meet-the-data', 'count-turns');
    const solution = readFileSync(join(ex.solutionDir, 'turns.ts'), 'utf8');
    const tmp = tempDir();
    try {
      const work = join(tmp.dir, 'work');
      mkdirSync(work);
      writeFileSync(join(work, 'turns.ts'), solution.replace('    if (!tag) continue;', '    if (tag = null) continue;'));
      const run = await runChecks({ exerciseDir: ex.dir, workDir: work, checkTimeoutMs: ex.timeLimitMs });
      const r = run.results.find((x) => /Assignment to constant/.test(x.message ?? ''));
      assert.ok(r, JSON.stringify(run.results.map((x) => x.message)));
      assert.match(explainJsError(r.message!, r.location)!, /^A single = gives a name a new value, and in an if \(…\) you meant to compare: write === there.*do not change const to let/);
      const cli = await runCli(['curriculum', 'check', join(projectRoot(), 'curriculum', 'modules', 'meet-the-data'), 'count-turns', work]);
      assert.equal(cli.code, 1, cli.stderr);
      assert.ok(cli.stdout.indexOf('  ! turns.ts, line') < cli.stdout.indexOf('  ✗ '), cli.stdout);
      assert.equal(cli.stdout.split('Assignment to constant variable').length - 1, 1, cli.stdout);
      assert.match(cli.stdout, /The same failure as the check above\./);
    } finally {
      tmp.cleanup();
    }
  });
  it('generating-notes free-or-grammar says a grammar without bounds lets a section run long, and the headers are cut off', async function () {
    this.timeout(300_000);
    const said = await messagesFor('generating-notes', 'free-or-grammar', 'sections.ts', 'grammar: { sections, maxLinesPerSection: 2, maxLineChars: 60 },', 'grammar: { sections },');
    assert.match(said, /Under CHIEF COMPLAINT your grammar note of FG1 has \d+ line\(s\), the longest \d+ characters\. The grammar should allow at most 2 lines of at most 60 characters under each header/);
  });
  it('generating-notes one-note says maxTokens is a ceiling when the limit is reported as the generated tokens', async function () {
    this.timeout(300_000);
    const said = await messagesFor('generating-notes', 'one-note', 'note.ts', 'generatedTokens: result.generatedTokens }', 'generatedTokens: settings.maxTokens }');
    assert.match(said, /Your code reported generatedTokens: 400, the limit \(maxTokens\)\. But this note ended before the limit/);
  });
  it('generating-notes predictions-csv says generated counts only the notes of this run after a resume, and names swapped scores without printing the expected ones', async function () {
    this.timeout(600_000);
    const ex = await exercise('generating-notes', 'predictions-csv');
    const total = await messagesOn(ex, 'predictions.ts', readFileSync(join(ex.dir, 'wrong', 'generated-is-total', 'predictions.ts'), 'utf8'));
    assert.match(total, /A first run stopped after generating PC1; the second run kept that note and generated only the others, but your code reported generated: 3/);
    const swapped = await messagesOn(ex, 'predictions.ts', readFileSync(join(ex.dir, 'wrong', 'scores-swapped', 'predictions.ts'), 'utf8'));
    assert.match(swapped, /your rouge1 is the ROUGE-Lsum score and your rougeLsum is the ROUGE-1 score/);
    assert.doesNotMatch(swapped, /\b0\.\d{6,}/, 'the message shows a score the student could copy');
  });
});
