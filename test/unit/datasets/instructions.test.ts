import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplit } from '../../../datasets/index';
import { formatLengthReport } from '../../../datasets/index';
import { DEFAULT_INSTRUCTION, buildInstructionData, checkTemplate, readTemplate, renderTemplate, toChatExample, toInstructionExample } from '../../../datasets/index';
import { countWhitespaceTokens, loadTokenizer } from '../../../datasets/index';
import { SAMPLE, requireCorpus } from './helpers';
import { writeTinyTokenizer } from './tinyTokenizer';

describe('datasets/instructions', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-instr-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const sample = () => loadSplit('train', SAMPLE).encounters;

  it('builds the study\'s instruction / input / output form with the default SOAP instruction', () => {
    const e = sample()[0]!;
    const ex = toInstructionExample(e);
    assert.equal(ex.instruction, DEFAULT_INSTRUCTION);
    assert.match(ex.instruction, /^Generate a clinical SOAP note from the following doctor-patient dialogue\./);
    for (const h of ['CHIEF COMPLAINT', 'HISTORY OF PRESENT ILLNESS', 'PHYSICAL EXAMINATION', 'RESULTS', 'ASSESSMENT AND PLAN']) assert.match(ex.instruction, new RegExp(h));
    assert.equal(ex.input, e.dialogue);
    assert.equal(ex.output, e.note);
  });

  it('builds chat messages: system, user (instruction + dialogue), assistant (note)', () => {
    const e = sample()[1]!;
    const chat = toChatExample(e, { systemPrompt: 'Be brief.' });
    assert.deepEqual(chat.messages.map((m) => m.role), ['system', 'user', 'assistant']);
    assert.equal(chat.messages[0]!.content, 'Be brief.');
    assert.equal(chat.messages[1]!.content, `${DEFAULT_INSTRUCTION}\n\n${e.dialogue}`);
    assert.equal(chat.messages[2]!.content, e.note);
  });

  it('fills templates from a file, including metadata columns', () => {
    const file = join(dir, 't.txt');
    writeFileSync(file, 'Patient age {{ meta.patient_age }} ({{dataset}}, {{encounter_id}}). Write the note for:\n{{dialogue}}\n');
    const t = readTemplate(file);
    const e = sample()[0]!;
    const ex = toInstructionExample(e, { template: t });
    assert.equal(ex.instruction, `Patient age 44 (virtassist, SYN001). Write the note for:\n${e.dialogue}`);
    assert.equal(ex.input, '');
    assert.equal(renderTemplate('{{meta.nothing}}!', e), '!');
    writeFileSync(file, 'Summarize {{dialog}}');
    assert.throws(() => readTemplate(file), /unknown placeholder \{\{dialog\}\}\. Did you mean \{\{dialogue\}\}\?/);
    // Other capitals and a left-out _ are named too; a name like none of them is not guessed at.
    assert.throws(() => checkTemplate('{{Dialogue}}'), /\{\{Dialogue\}\}\. Did you mean \{\{dialogue\}\}\? Placeholder names are written exactly, in small letters\./);
    assert.throws(() => checkTemplate('{{encounterId}}'), /Did you mean \{\{encounter_id\}\}/);
    assert.throws(() => checkTemplate('{{note}}'), (e: Error) => /unknown placeholder \{\{note\}\}\.$/.test(e.message));
    writeFileSync(file, '  ');
    assert.throws(() => readTemplate(file), /is empty/);
  });

  it('writes one JSON object per line and measures each example against the budget', () => {
    const enc = loadSplit('train', requireCorpus()).encounters;
    const { lines, report } = buildInstructionData(enc, { maxTokens: 2048 });
    assert.equal(lines.length, 67);
    const first = JSON.parse(lines[0]!) as { instruction: string; input: string; output: string };
    assert.equal(first.output, enc[0]!.note);
    const ex0 = report.examples[0]!;
    assert.equal(ex0.promptTokens, countWhitespaceTokens(DEFAULT_INSTRUCTION) + countWhitespaceTokens(enc[0]!.dialogue));
    assert.equal(ex0.outputTokens, countWhitespaceTokens(enc[0]!.note));
    assert.equal(report.overBudget.length, report.examples.filter((x) => x.total > 2048).length);
    assert.ok(report.overBudget.length > 0 && report.overBudget.length < 67);
    const text = formatLengthReport(report);
    assert.match(text, new RegExp(`${report.overBudget.length} examples exceed the budget and would be truncated`));
    assert.match(text, /D2N021/); // the longest train dialogue
    assert.equal(buildInstructionData(enc, { maxTokens: 100000 }).report.overBudget.length, 0);
  });

  it('counts model tokens for the budget when a tokenizer is given', async () => {
    const tok = await loadTokenizer(writeTinyTokenizer(join(dir, 'tok')));
    const enc = sample();
    const ws = buildInstructionData(enc, { format: 'chat' }).report;
    const mt = buildInstructionData(enc, { format: 'chat', tokenizer: tok }).report;
    assert.equal(mt.counter, 'tok');
    assert.ok(mt.examples[0]!.total > ws.examples[0]!.total);
    assert.equal(mt.examples[0]!.outputTokens, tok.count(enc[0]!.note));
  });

  it('rejects a budget that is not a positive whole number', () => {
    assert.throws(() => buildInstructionData(sample(), { maxTokens: 0 }), /not a positive whole number/);
  });
});
