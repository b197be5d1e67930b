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
    same(got, expected, 'buildJsonl with a template');
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
    same(got, file(buildInstructionData(loadSplit('train', corpus).encounters, { format: 'chat', systemPrompt: SYSTEM }).lines), 'buildChatJsonl');
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
