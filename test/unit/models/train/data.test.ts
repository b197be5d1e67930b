import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../helpers/cli';
import { projectRoot } from '../../../../core/index';
import { loadSplit } from '../../../../datasets/index';
import { noteMessages } from '../../../../datasets/index';
import { defaultTrainConfig } from '../../../../models/train/index';
import { pickTrainingPython, READY_MARKER, venvPython } from '../../../../models/train/index';
import { prepareRun } from '../../../../models/train/index';
import { trainerScript } from '../../../../models/train/index';

const ACI = join(projectRoot(), '..', 'shared', 'aci-bench', 'challenge_data');

describe('training data: checked, from the corpus named, in the prompt form generate uses', function () {
  this.timeout(120_000);
  let dir: string;
  let cwd: string;
  const savedEnv = process.env.ACI_BENCH_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-traindata-'));
    cwd = process.cwd();
    process.chdir(dir);
    delete process.env.ACI_BENCH_DIR;
  });
  afterEach(() => {
    process.chdir(cwd);
    if (savedEnv !== undefined) process.env.ACI_BENCH_DIR = savedEnv;
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (data: Record<string, unknown>, name = 'r1') => {
    const cfg = defaultTrainConfig();
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ ...cfg, name, data: { ...cfg.data, ...data } }));
    return 'cfg.json';
  };

  it('refuses a JSONL that is not instruction data, naming the file, the line and what to do; no run folder is made', async () => {
    writeFileSync(join(dir, 'train.jsonl'), '{"encounter_id": "D2N001", "text": "hello"}\n');
    const r = await runCli(['train', 'prepare', '--config', config({ train: 'train.jsonl' })]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /train\.jsonl cannot be trained on: line 1 has neither "messages" nor "instruction"/);
    assert.match(r.stderr, /What to do: .*split name/);
    assert.ok(!existsSync(join(dir, 'runs', 'r1')), 'nothing was prepared');
  });

  it('refuses empty examples: a JSONL line without a note, and a CSV row without a dialogue', async () => {
    writeFileSync(join(dir, 'train.jsonl'), JSON.stringify({ instruction: 'Write a note.', input: 'doctor: hi', output: '' }) + '\n');
    let r = await runCli(['train', 'prepare', '--config', config({ train: 'train.jsonl' })]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 1 has an empty note/);
    writeFileSync(join(dir, 'train.csv'), 'dataset,encounter_id,dialogue,note\naci,D1,"[doctor] hi",NOTE\naci,D2,,NOTE 2\n');
    r = await runCli(['train', 'prepare', '--config', config({ train: 'train.csv' })]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /train\.csv cannot be trained on: line 3 \(encounter D2\) has an empty dialogue/);
  });

  it('a valid instruction JSONL is accepted and written in chat form with the default system prompt', async () => {
    writeFileSync(join(dir, 'train.jsonl'), JSON.stringify({ instruction: 'Write a note.', input: '[doctor] hi', output: 'CHIEF COMPLAINT\nCough.' }) + '\n');
    const r = await runCli(['train', 'prepare', '--config', config({ train: 'train.jsonl' })]);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(readFileSync(join(dir, 'runs', 'r1', 'data', 'train.jsonl'), 'utf8').trim());
    assert.equal(line.messages[0].content, noteMessages('x').system);
    assert.equal(line.messages[1].content, 'Write a note.\n\n[doctor] hi');
  });

  it('says which corpus it reads: the 3-encounter sample when nothing is set, the --corpus folder when given', async () => {
    let r = await runCli(['train', 'prepare', '--config', config({})]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /the 3-encounter synthetic sample .* set "data\.corpus" in the config or pass --corpus/);
    r = await runCli(['train', 'prepare', '--config', config({}, 'r2'), '--corpus', ACI]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Corpus: .*challenge_data \(from data\.corpus \/ --corpus\)/);
    assert.match(r.stdout, /67 training and 20 validation examples/);
    assert.match(r.stdout, /Not launched\. Launch it here with: medigen train resume runs\/r2/);
  });

  it('train init shows data.corpus in the file and in what it prints', async () => {
    const r = await runCli(['train', 'init', '--corpus', ACI]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"data\.corpus": .*challenge_data/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'medigen-train.json'), 'utf8')).data.corpus, ACI);
  });

  it('the trainer builds the same system and user text for every encounter as `medigen generate` sends (real corpus, real trainer.py)', async () => {
    const { paths } = await prepareRun({ ...defaultTrainConfig(), name: 'same', data: { ...defaultTrainConfig().data, corpus: ACI } }, dir);
    const py = spawnSync('python3', [trainerScript(), '--print-prompts', paths.trainData], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(py.status, 0, py.stderr);
    const seen = py.stdout.trim().split('\n').map((l) => JSON.parse(l) as { system: string; user: string });
    const encounters = loadSplit('train', ACI).encounters;
    assert.equal(seen.length, encounters.length);
    encounters.forEach((e, k) => assert.deepEqual(seen[k], noteMessages(e), `encounter ${e.encounterId}`));
    assert.ok(seen[0]!.system.length > 20 && seen[0]!.user.includes(encounters[0]!.dialogue.slice(0, 200)));
  });

  it('slurm writes a script for a prepared run with no path of this machine in it', async () => {
    await runCli(['train', 'prepare', '--config', config({ corpus: ACI })]);
    const r = await runCli(['train', 'slurm', '--run', 'runs/r1', '--gpus', '2']);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(join(dir, 'runs', 'r1', 'slurm.sh'), 'utf8');
    assert.ok(!text.includes(dir) && !text.includes(projectRoot()), text);
    assert.match(text, /ROOT="\$\{MEDIGEN_ROOT:-\$SLURM_SUBMIT_DIR\}"/);
    assert.match(text, /RUN_DIR="\$ROOT"\/'runs\/r1'/);
    assert.match(text, /"\$ROOT"\/'runs\/r1\/trainer.py'/);
    assert.ok(existsSync(join(dir, 'runs', 'r1', 'trainer.py')), 'the trainer travels with the run');
    const cfg = JSON.parse(readFileSync(join(dir, 'runs', 'r1', 'config.json'), 'utf8'));
    assert.equal(cfg.run_dir, '.');
  });

  it('a half-built environment is never the default; an existing one is chosen once with setup --use', async () => {
    const venv = join(dir, '.medigen', 'train-venv');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    writeFileSync(venvPython(venv), '');
    assert.equal(pickTrainingPython(undefined, '.medigen/train-venv', dir), 'python3', 'no ready marker: not picked');
    writeFileSync(join(venv, READY_MARKER), 'x');
    assert.equal(pickTrainingPython(undefined, '.medigen/train-venv', dir), venvPython(venv));
    const r = await runCli(['train', 'setup', '--use', 'python3']);
    assert.equal(r.code, 1, 'python3 here has no torch');
    assert.match(r.stderr, /python3 lacks torch, transformers, peft; it was not chosen/);
    assert.equal(pickTrainingPython(undefined, '.medigen/train-venv', dir), venvPython(venv));
  });

  it('resume remembers the --python it was given for the run', async () => {
    await runCli(['train', 'prepare', '--config', config({})]);
    let r = await runCli(['train', 'resume', 'runs/r1', '--python', 'python3']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\(python3\) lacks torch/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'runs', 'r1', 'environment.json'), 'utf8')).python, 'python3');
    r = await runCli(['train', 'resume', 'runs/r1']);
    assert.match(r.stderr, /\(python3\) lacks torch/);
  });
});
