import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { buildInstructionData, DEFAULT_INSTRUCTION, loadSplit, writeCsv } from 'medigen-lab';

interface Student {
  buildJsonl(split: string, corpusDir: string, template?: string): string;
  buildChatJsonl(split: string, corpusDir: string, systemPrompt: string): string;
  promptAndLearned(line: string): { prompt: string; learned: string };
}
let student: Remote<Student>;
let corpus: string;

// A made-up corpus the student has not seen: three encounters, notes with real line breaks.
const ROWS = [
  ['aci', 'Q1', '[doctor] what happened to your hand ?\n[patient] i cut it on a "sharp" can , yesterday .', 'CHIEF COMPLAINT\n\nHand laceration.\n\nASSESSMENT AND PLAN\n\nWound care, tetanus booster.'],
  ['virtassist', 'Q2', '[doctor] hey dax , this is anna , 34 , with migraines .\n[patient] they come twice a week .', 'HISTORY OF PRESENT ILLNESS\n\nMigraines twice weekly.'],
  ['virtscribe', 'Q3', '[doctor] blood sugar 182 fasting .\n[patient] i stopped the metformin .', 'RESULTS\n\nFasting glucose 182.\n\nPLAN\n\nRestart metformin 500 mg twice daily.'],
];
const TEMPLATE = 'Write the note for encounter {{encounter_id}}.\n\n{{dialogue}}';
const SYSTEM = 'You write short, accurate clinic notes.';

function same(got: unknown, expected: unknown, what: string): void {
  assert.deepEqual(got, expected, `${what}\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
}
const file = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
const short = (v: unknown) => {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
};

/** The first place two JSON values differ, as a path: `messages[0].content`, or '' when the values themselves differ. */
function firstDifference(got: unknown, expected: unknown, path = ''): { path: string; got: unknown; expected: unknown } | undefined {
  if (JSON.stringify(got) === JSON.stringify(expected)) return undefined;
  if (typeof got !== 'object' || typeof expected !== 'object' || got === null || expected === null || Array.isArray(got) !== Array.isArray(expected)) return { path, got, expected };
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])];
  for (const key of keys) {
    const at = Array.isArray(expected) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const d = firstDifference((got as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], at);
    if (d) return d;
  }
  return { path, got, expected };
}

/** A whole file compared line by line: the message names the first line and field that differ, not two walls of text. */
function sameFile(got: unknown, expected: string, what: string): void {
  assert.equal(typeof got, 'string', `${what} should give the text of the file, got ${short(got)}`);
  if (got === expected) return;
  const gotLines = (got as string).split('\n');
  const wantLines = expected.split('\n');
  const k = wantLines.findIndex((line, i) => gotLines[i] !== line);
  let ex: unknown;
  try {
    ex = JSON.parse(gotLines[k] ?? '');
  } catch {
    assert.fail(`${what}: line ${k + 1} should be ${short(wantLines[k])}, got ${short(gotLines[k] ?? '(no line)')}`);
  }
  const d = firstDifference(ex, JSON.parse(wantLines[k]!));
  const where = d?.path ? ` ${d.path}` : '';
  assert.fail(`${what}: line ${k + 1} differs at${where || ' the whole example'}\n  expected: ${short(d?.expected)}\n  got:      ${short(d?.got)}`);
}

before(async () => {
  corpus = mkdtempSync(join(tmpdir(), 'instruction-jsonl-'));
  writeFileSync(join(corpus, 'train.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], ROWS));
  student = await loadStudent<Student>('jsonl.ts');
});
after(() => {
  student?.close();
  rmSync(corpus, { recursive: true, force: true });
});

describe('instruction-jsonl', () => {
  it('buildJsonl writes one example per line, with your template, exactly as the library builds them', async () => {
    const got = await student.buildJsonl('train', corpus, TEMPLATE);
    const expected = file(buildInstructionData(loadSplit('train', corpus).encounters, { template: TEMPLATE }).lines);
    assert.equal(typeof got, 'string', `buildJsonl should give the text of the file, got ${JSON.stringify(got)}`);
    assert.equal(got.split('\n').length - 1, ROWS.length, `buildJsonl should write ${ROWS.length} lines (one per encounter, each ending with a line break), got ${got.split('\n').length - 1}:\n${got.slice(0, 400)}`);
    sameFile(got, expected, 'buildJsonl with a template');
  });

  it('buildJsonl without a template gives files the trainer reads: instruction, input (the dialogue) and output (the note)', async () => {
    const got = await student.buildJsonl('train', corpus);
    const lines = got.split('\n').filter((l) => l.trim());
    assert.equal(lines.length, ROWS.length, `the trainer should find ${ROWS.length} examples, found ${lines.length}`);
    lines.forEach((line, k) => {
      let ex: Record<string, unknown>;
      try {
        ex = JSON.parse(line) as Record<string, unknown>;
      } catch (e) {
        assert.fail(`line ${k + 1} of buildJsonl is not one JSON example (${(e as Error).message}): ${line.slice(0, 120)}`);
      }
      same(Object.keys(ex).sort(), ['input', 'instruction', 'output'], `the fields of example ${k + 1}`);
      same(ex, { instruction: DEFAULT_INSTRUCTION, input: ROWS[k]![2], output: ROWS[k]![3] }, `example ${k + 1} without a template`);
    });
  });

  it('buildChatJsonl writes system, user and assistant messages with your system prompt', async () => {
    const got = await student.buildChatJsonl('train', corpus, SYSTEM);
    sameFile(got, file(buildInstructionData(loadSplit('train', corpus).encounters, { format: 'chat', systemPrompt: SYSTEM }).lines), 'buildChatJsonl');
    const roles = got.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { messages: { role: string }[] }).messages.map((m) => m.role).join(','));
    same(roles, ROWS.map(() => 'system,user,assistant'), 'buildChatJsonl: the roles of each example');
  });

  it('promptAndLearned separates what the model reads from what it learns (only the note)', async () => {
    const encounters = loadSplit('train', corpus).encounters;
    const plain = buildInstructionData(encounters, { template: 'Summarize:' }).lines;
    const chat = buildInstructionData(encounters, { format: 'chat', systemPrompt: SYSTEM }).lines;
    for (const [k, e] of encounters.entries()) {
      same(await student.promptAndLearned(plain[k]!), { prompt: `Summarize:\n\n${e.dialogue}`, learned: e.note }, `promptAndLearned on instruction example ${e.encounterId}`);
      same(await student.promptAndLearned(chat[k]!), { prompt: `${DEFAULT_INSTRUCTION}\n\n${e.dialogue}`, learned: e.note }, `promptAndLearned on chat example ${e.encounterId}`);
    }
  });

  it('promptAndLearned trims: with a template that holds the dialogue, input is empty and the prompt ends with the dialogue', async () => {
    const encounters = loadSplit('train', corpus).encounters;
    const lines = buildInstructionData(encounters, { template: TEMPLATE }).lines;
    for (const [k, e] of encounters.entries()) {
      const example = JSON.parse(lines[k]!) as { input: string };
      assert.equal(example.input, '', 'the library puts the dialogue in the instruction when the template holds {{dialogue}}');
      const want = { prompt: `Write the note for encounter ${e.encounterId}.\n\n${e.dialogue}`, learned: e.note };
      const got = await student.promptAndLearned(lines[k]!);
      const why = typeof got?.prompt === 'string' && got.prompt !== want.prompt && got.prompt.trim() === want.prompt
        ? ' Your prompt has extra line breaks or spaces at its end: here input is empty, so instruction + two line breaks + input ends with the line breaks. Trim each part and the whole prompt (.trim()).'
        : '';
      same(got, want, `promptAndLearned on example ${e.encounterId}, made with a template that holds {{dialogue}}.${why}`);
    }
  });
});
