import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { loadPredictions } from '../../../models/eval/index';
import { ensureTinyModels } from '../../../models/tiny/index';
import { defaultTrainConfig } from '../../../models/train/index';
import { runCli } from '../../helpers/cli';
import { writeTinyPeftAdapter } from '../models/train/tinyPeft';

describe('medigen train evaluate (real converter, node-llama-cpp and scorer, tiny model)', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-train-evaluate-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates an adapter folder against the base model and prints both scores side by side', async () => {
    const { model } = await ensureTinyModels();
    const adapter = join(dir, 'adapter');
    await writeTinyPeftAdapter(adapter);
    const sample = join(projectRoot(), 'datasets', 'sample');
    const r = await runCli(['train', 'evaluate', adapter, '--model', model, '--split', 'valid', '--corpus', sample, '--limit', '2', '--max-tokens', '30', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 notes of valid/);
    assert.match(r.stdout, /ALL\s+rouge1\s+\d+\.\d\d\s+\d+\.\d\d\s+[+-]\d+\.\d\d/);
    const saved = join(adapter, 'evaluation');
    for (const f of ['adapter.gguf', 'base.csv', 'finetuned.csv', 'summary.json']) assert.ok(existsSync(join(saved, f)), f);
    const summary = JSON.parse(readFileSync(join(saved, 'summary.json'), 'utf8')) as { encounters: number; rows: unknown[] };
    assert.equal(summary.encounters, 2);
    assert.notDeepEqual(loadPredictions(join(saved, 'base.csv')).map((p) => p.note), loadPredictions(join(saved, 'finetuned.csv')).map((p) => p.note), 'the adapter did not change the notes');
  });

  it('refuses a run that has not finished, naming its status and what to do', async () => {
    const run = join(dir, 'unfinished');
    mkdirSync(run);
    writeFileSync(join(run, 'config.json'), JSON.stringify(defaultTrainConfig()));
    const r = await runCli(['train', 'evaluate', run, '--model', 'x.gguf']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has not finished \(starting\)/);
    assert.match(r.stderr, /medigen train resume/);
  });

  it('says what a folder must hold when it is neither a run nor an adapter, and needs --model', async () => {
    const r = await runCli(['train', 'evaluate', dir, '--model', 'x.gguf']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /neither a training run .* nor a PEFT adapter/);
    const noModel = await runCli(['train', 'evaluate', dir]);
    assert.equal(noModel.code, 2);
    assert.match(noModel.stderr, /--model is required/);
  });
});
