import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { buildInstructionData, loadSplit, loadTokenizer, makeTinyEncoder, resolveCorpusDir, writeCsv, type TokenCounter } from 'medigen-lab';

interface Student {
  tooLong(split: string, corpusDir: string, budget: number, tokenizerDir: string): Promise<string[]>;
  fitDialogue(dialogue: string, budget: number, tokenizerDir: string): Promise<{ dialogue: string; cutTurns: number }>;
}
let student: Remote<Student>;
let work: string;
let tokenizerDir: string;
let tokenizer: TokenCounter;

// Made-up dialogues of new lengths: an opening, many middle turns, and the plan at the end.
const MIDDLE = ['[patient] it started about three weeks ago , mostly in the mornings .', '[doctor] does anything make it better ?', '[patient] ibuprofen helps a little , maybe for a few hours .', '[doctor] any fever , chills , weight loss ?', '[patient] no , none of that .'];
function dialogue(middleTurns: number, seed: number): string {
  const lines = ['[doctor] good morning , what brings you in today ?', '[patient] my lower back has been hurting .'];
  for (let k = 0; k < middleTurns; k++) lines.push(MIDDLE[(k + seed) % MIDDLE.length]!);
  lines.push('[doctor] so the plan is physical therapy twice a week and naproxen 500 mg as needed .', '[patient] okay , thank you .');
  return lines.join('\n');
}

/** The fewest middle lines any cut keeping the first and last line must remove to fit. */
function fewestCuts(text: string, budget: number): number {
  const lines = text.split('\n');
  for (let c = 1; c <= lines.length - 2; c++) {
    for (let a = 1; a + c <= lines.length - 1; a++) {
      const t = [...lines.slice(0, a), `[... ${c} turns cut ...]`, ...lines.slice(a + c)].join('\n');
      if (tokenizer.count(t) <= budget) return c;
    }
  }
  return lines.length;
}

/** Checks one shortened dialogue against the original. */
function assertFits(original: string, budget: number, got: { dialogue: string; cutTurns: number }, what: string): void {
  const orig = original.split('\n');
  assert.equal(typeof got?.dialogue, 'string', `${what}: fitDialogue should give { dialogue, cutTurns }, got ${JSON.stringify(got)?.slice(0, 200)}`);
  const tokens = tokenizer.count(got.dialogue);
  assert.ok(tokens <= budget, `${what}: the shortened dialogue should have at most ${budget} tokens, it has ${tokens}`);
  const lines = got.dialogue.split('\n');
  const marker = lines.findIndex((l) => /^\[\.\.\. \d+ turns cut \.\.\.\]$/.test(l));
  if (marker < 0) {
    // A marker written almost right says what differs, rather than showing the whole dialogue.
    const near = lines.find((l) => /turns?\s*cut/i.test(l));
    const noNumber = near && /undefined|NaN|null/.test(near) ? ': its number is missing, so work out how many lines you cut (a number) before you write the marker' : '';
    assert.fail(near
      ? `${what}: the marker line should be exactly "[... N turns cut ...]", with N the number of lines cut, on a line of its own (a space after "[..." and before "...]"); yours is ${JSON.stringify(near)}${noNumber}.`
      : `${what}: expected one line "[... N turns cut ...]" where turns were cut, got:\n${got.dialogue}`);
  }
  const head = lines.slice(0, marker);
  const tail = lines.slice(marker + 1);
  assert.deepEqual([head[0], tail.at(-1)], [orig[0], orig.at(-1)], `${what}: the first line (the opening) and the last line (the plan talk) should be kept\n  expected: ${JSON.stringify([orig[0], orig.at(-1)])}\n  got:      ${JSON.stringify([head[0], tail.at(-1)])}`);
  assert.deepEqual(head, orig.slice(0, head.length), `${what}: the lines before the marker should be the dialogue's first ${head.length} lines, unchanged`);
  assert.deepEqual(tail, orig.slice(orig.length - tail.length), `${what}: the lines after the marker should be the dialogue's last ${tail.length} lines, unchanged`);
  const cut = orig.length - head.length - tail.length;
  assert.equal(lines[marker], `[... ${cut} turns cut ...]`, `${what}: the marker should say how many lines were cut (${cut})`);
  assert.equal(got.cutTurns, cut, `${what}: cutTurns should be ${cut}, got ${got.cutTurns}`);
  const fewest = fewestCuts(original, budget);
  assert.ok(cut <= fewest + 2, `${what}: cut ${cut} lines, but cutting ${fewest} would have been enough: cut no more than needed`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'fit-the-budget-'));
  tokenizerDir = join(work, 'tokenizer');
  makeTinyEncoder(tokenizerDir);
  tokenizer = await loadTokenizer(tokenizerDir);
  const rows = [4, 40, 12, 90, 25].map((n, k) => ['aci', `L${k + 1}`, dialogue(n, k), `ASSESSMENT AND PLAN\n\nLow back pain, visit ${k + 1}.`]);
  writeFileSync(join(work, 'valid.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
  student = await loadStudent<Student>('budget.ts');
});
after(() => {
  student?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('fit-the-budget', () => {
  it('tooLong finds the examples over the budget, counted with the model tokenizer', async () => {
    const budget = 600;
    const expected = buildInstructionData(loadSplit('valid', work).encounters, { maxTokens: budget, tokenizer }).report.overBudget.map((x) => x.encounterId);
    const got = await student.tooLong('valid', work, budget, tokenizerDir);
    assert.deepEqual(got, expected, `tooLong with a budget of ${budget} tokens\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
  });

  it('fitDialogue gives back a dialogue that fits unchanged', async () => {
    const d = dialogue(3, 1);
    const got = await student.fitDialogue(d, tokenizer.count(d) + 5, tokenizerDir);
    assert.deepEqual(got, { dialogue: d, cutTurns: 0 }, `fitDialogue on a dialogue that fits should change nothing, got ${JSON.stringify(got)}`);
  });

  it('fitDialogue keeps the opening and the plan talk, cuts from the middle, says what it cut, and cuts no more than needed', async () => {
    for (const [n, share] of [[30, 0.5], [60, 0.3], [20, 0.8]] as const) {
      const d = dialogue(n, n);
      const budget = Math.floor(tokenizer.count(d) * share);
      assertFits(d, budget, await student.fitDialogue(d, budget, tokenizerDir), `fitDialogue on a ${n + 4}-line dialogue with a budget of ${budget} tokens`);
    }
  });

  it('fitDialogue shortens the corpus dialogues to half their length', async () => {
    const split = loadSplit('valid', resolveCorpusDir());
    for (const e of split.encounters.slice(0, 4)) {
      const budget = Math.floor(tokenizer.count(e.dialogue) / 2);
      assertFits(e.dialogue, budget, await student.fitDialogue(e.dialogue, budget, tokenizerDir), `fitDialogue on ${e.encounterId} (${split.file}) with a budget of ${budget} tokens`);
    }
  });
});
