import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError, projectRoot } from '../../../../core/index';
import { loadPredictions } from '../../../../models/eval/index';
import { ensureTinyModels } from '../../../../models/tiny/index';
import { writeTinyPeftAdapter } from './tinyPeft';
import { SUMMARY_GROUPS, SUMMARY_METRICS, evaluateAdapter, evaluationPaths, readEvaluation, runBaseModel, runPromptSettings } from '../../../../models/train/index';
import { resolveModelArtifact } from '../../../../models/convert/index';

describe('Evaluate Adapter pipeline (real converter, node-llama-cpp and scorer, tiny model)', function () {
  this.timeout(300_000);
  let runDir: string;
  before(() => (runDir = mkdtempSync(join(tmpdir(), 'medigen-eval-adapter-'))));
  after(() => rmSync(runDir, { recursive: true, force: true }));

  it('converts the adapter, generates notes with and without it, and scores both side by side', async () => {
    const { model } = await ensureTinyModels();
    await writeTinyPeftAdapter(join(runDir, 'adapter'));
    // The run trained on 400-token sequences: notes of 40 tokens are asked with prompts of at most 360.
    writeFileSync(join(runDir, 'config.json'), JSON.stringify({ data: { maxSeqLength: 400, valid: 'valid' } }));
    const steps: string[] = [];
    const summary = await evaluateAdapter({
      runDir,
      adapterDir: join(runDir, 'adapter'),
      baseModel: model,
      split: 'valid',
      corpusDir: join(projectRoot(), 'datasets', 'sample'),
      limit: 2,
      threads: 1,
      maxTokens: 40,
      progress: { report: (done, total, label) => steps.push(`${done}/${total} ${label}`) },
    });
    const p = evaluationPaths(runDir);
    for (const f of [p.adapterGguf, p.baseCsv, p.finetunedCsv, p.summary]) assert.ok(existsSync(f), `${f} missing`);
    assert.equal(summary.encounters, 2);
    assert.equal(summary.split, 'valid');
    assert.equal(summary.maxPromptTokens, 360);
    assert.equal(summary.rows.length, SUMMARY_GROUPS.length * SUMMARY_METRICS.length);
    for (const r of summary.rows) {
      assert.ok(r.base >= 0 && r.base <= 1 && r.finetuned >= 0 && r.finetuned <= 1, JSON.stringify(r));
    }
    const base = loadPredictions(p.baseCsv);
    const tuned = loadPredictions(p.finetunedCsv);
    assert.equal(base.length, 2);
    assert.deepEqual(base.map((x) => x.encounterId), tuned.map((x) => x.encounterId));
    assert.notDeepEqual(base.map((x) => x.note), tuned.map((x) => x.note), 'the adapter did not change the generated notes');
    assert.deepEqual(readEvaluation(runDir), summary);
    assert.equal(steps.at(-1), '4/4 done');
    assert.ok(steps.some((s) => /^2\/4 fine-tuned: note 2 of 2/.test(s)), steps.join('\n'));
  });

  it('says what to set when no GGUF base model is configured', async () => {
    await assert.rejects(evaluateAdapter({ runDir, adapterDir: join(runDir, 'adapter'), baseModel: '', split: 'valid' }), (e: Error & { hint?: string }) => /No GGUF base model/.test(e.message) && /medigenLab\.model/.test(e.hint ?? ''));
  });

  describe('the run\'s prompt settings (notes are asked the way the run trained)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-run-prompt-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (data: unknown) => writeFileSync(join(dir, 'config.json'), JSON.stringify({ data }));

    it('keeps at least half the training length for the prompt, more when the note is short', () => {
      write({ maxSeqLength: 160, systemPrompt: 'You write notes.' });
      assert.deepEqual(runPromptSettings(dir, 200), { systemPrompt: 'You write notes.', maxPromptTokens: 80 });
      write({ maxSeqLength: 4096 });
      assert.deepEqual(runPromptSettings(dir, 1024), { maxPromptTokens: 3072 });
      assert.deepEqual(runPromptSettings(dir), { maxPromptTokens: 3072 }, 'the generator\'s default note length');
    });

    it('reads the run\'s template from where the run was started or from the run folder', () => {
      mkdirSync(join(dir, 'prompts'));
      writeFileSync(join(dir, 'prompts', 't.txt'), 'Write the note for:\n{{dialogue}}\n');
      write({ maxSeqLength: 512, template: 'prompts/t.txt' });
      assert.equal(runPromptSettings(dir, 100).template, 'Write the note for:\n{{dialogue}}');
    });

    it('is empty without a config, and names a broken config.json', () => {
      assert.deepEqual(runPromptSettings(dir), {});
      writeFileSync(join(dir, 'config.json'), '{ "data": ');
      assert.throws(() => runPromptSettings(dir), (e: Error & { hint?: string }) => e.message.includes(join(dir, 'config.json')) && /Restore/.test(e.hint ?? ''));
    });

    it('a run folder given as --model: a broken config or one without baseModel is named, not a JSON parse error', async () => {
      writeFileSync(join(dir, 'protocol.jsonl'), '');
      writeFileSync(join(dir, 'config.json'), '{ "baseModel": ');
      await assert.rejects(resolveModelArtifact(dir), (e: Error & { hint?: string }) => e instanceof MedigenError && e.message.includes(join(dir, 'config.json')) && /not valid JSON/.test(e.message));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ data: {} }));
      await assert.rejects(resolveModelArtifact(dir), (e: Error & { hint?: string }) => e instanceof MedigenError && /names no base model/.test(e.message) && /--model/.test(e.hint ?? ''));
      assert.throws(() => runBaseModel(dir), /names no base model/);
    });
  });
});
