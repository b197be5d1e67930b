import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { loadSplit } from '../../../../datasets/index';
import { evaluateNotes, numpyMean, rouge } from '../../../../models/eval/index';
import { compareRuns, defaultTrainConfig, initialRunState, launchTrainer, parseTrainerLine, prepareRun, readLiveNotes, reduceRun, replayRun, scoreLiveNotes, validateTrainConfig, type LiveNote, type RunSummary, type TrainConfig, type TrainerMessage } from '../../../../models/train/index';

const fixture = join(projectRoot(), 'test', 'fixtures', 'train', 'live_rouge_trainer.py');
const sample = join(projectRoot(), 'datasets', 'sample');

describe('live ROUGE: protocol, scoring, launcher, history and comparison', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-liverouge-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses the trainer\'s "samples" message (snake_case wire names) and refuses a "rouge" message from the trainer', () => {
    const line = JSON.stringify({ medigen: 1, type: 'samples', step: 30, file: '/r/live-rouge/step-30.jsonl', count: 4, indices: [0, 1, 2, 3], max_new_tokens: 512, tokens: 1700, cut: 2, elapsed: 12.5 });
    assert.deepEqual(parseTrainerLine(line), { type: 'samples', step: 30, file: '/r/live-rouge/step-30.jsonl', count: 4, indices: [0, 1, 2, 3], maxNewTokens: 512, tokens: 1700, cut: 2, elapsed: 12.5 });
    // ROUGE is scored by MediGen Lab, never taken from the trainer's word.
    const claimed = parseTrainerLine(JSON.stringify({ medigen: 1, type: 'rouge', step: 30, rouge1: 0.9 }));
    assert.equal(claimed?.type, 'log');
    assert.match((claimed as { message: string }).message, /Unknown trainer message/);
  });

  it('folds samples (the cost) and rouge (the curve) into the run state; a run without them keeps an empty curve', () => {
    const msgs: TrainerMessage[] = [
      { type: 'samples', step: 0, file: 'f0', count: 2, indices: [0, 1], maxNewTokens: 64, tokens: 100, cut: 1, elapsed: 1.5 },
      { type: 'rouge', step: 0, rouge1: 0.1, rouge2: 0.01, rougeL: 0.08, rougeLsum: 0.09, notes: 2, empty: 1, cut: 1, file: 'f0' },
      { type: 'samples', step: 10, file: 'f10', count: 2, indices: [0, 1], maxNewTokens: 64, tokens: 128, cut: 2, elapsed: 2 },
      { type: 'rouge', step: 10, rouge1: 0.3, rouge2: 0.1, rougeL: 0.2, rougeLsum: 0.25, notes: 2, empty: 0, cut: 2, file: 'f10' },
    ];
    const s = msgs.reduce(reduceRun, initialRunState());
    assert.deepEqual(s.liveRouge.map((p) => [p.step, p.rouge1, p.rougeL]), [[0, 0.1, 0.08], [10, 0.3, 0.2]]);
    assert.deepEqual(s.liveRougeCost, { seconds: 2, notes: 2, maxNewTokens: 64 });
    assert.deepEqual(initialRunState().liveRouge, []);
  });

  it('the settings: optional in a config file, whole numbers, 0 allowed (off), the defaults small', () => {
    const d = defaultTrainConfig();
    assert.deepEqual([d.training.liveRougeSamples, d.training.liveRougeMaxTokens], [4, 512]);
    const { liveRougeSamples: _s, liveRougeMaxTokens: _t, ...older } = d.training;
    assert.deepEqual(validateTrainConfig({ ...d, training: older }), [], 'a config from before live ROUGE stays valid');
    assert.deepEqual(validateTrainConfig({ ...d, training: { ...d.training, liveRougeSamples: 0 } }), []);
    const bad = validateTrainConfig({ ...d, training: { ...d.training, liveRougeSamples: 2.5, liveRougeMaxTokens: 0 } }).map((p) => p.message);
    assert.deepEqual(bad, ['"training.liveRougeSamples" must be a whole number.', '"training.liveRougeMaxTokens" must be between 1 and 32768 (found 0).']);
  });

  it('scores notes exactly as models/eval does (per-note rouge_score F1, numpy mean = ACI-BENCH "ALL"), on real notes', async () => {
    const gold = loadSplit('valid', sample).encounters;
    const notes: LiveNote[] = gold.map((e, i) => ({ index: i, reference: e.note, prediction: e.note.split(/\s+/).slice(0, 40 + 30 * i).join(' '), tokens: 50, cut: i === 0 }));
    notes.push({ index: gold.length, reference: gold[0]!.note, prediction: '', tokens: 0, cut: false });
    const scores = await scoreLiveNotes(notes);
    const each = notes.map((n) => rouge(n.reference, n.prediction));
    for (const k of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) assert.equal(scores[k], numpyMean(each.map((s) => s[k].fmeasure)), k);
    const official = await evaluateNotes(notes.map((n) => ({ dataset: 'x', encounterId: `e${n.index}`, dialogue: 'd', note: n.reference })), notes.map((n) => ({ encounterId: `e${n.index}`, note: n.prediction })));
    assert.equal(scores.rouge1, (official.results.ALL as Record<string, number>).rouge1);
    assert.ok(scores.rouge1 > 0 && scores.rouge1 < 1);
    assert.deepEqual([scores.notes, scores.empty, scores.cut], [notes.length, 1, 1]);
  });

  it('a bad notes file is named with its line and what to do', () => {
    const file = join(dir, 'step-5.jsonl');
    writeFileSync(file, '{"index": 0, "reference": "a", "prediction": "b"}\n{"index": 1, "refer');
    assert.throws(() => readLiveNotes(file), (e: Error & { hint?: string }) => /step-5\.jsonl line 2 is not JSON/.test(e.message) && /next evaluation/.test(e.hint!));
    writeFileSync(file, '{"index": 0}\n');
    assert.throws(() => readLiveNotes(file), /line 1 is not a live-ROUGE note/);
    writeFileSync(file, '\n');
    assert.throws(() => readLiveNotes(file), /has no notes/);
    assert.throws(() => readLiveNotes(join(dir, 'missing.jsonl')), /missing\.jsonl cannot be read/);
  });

  async function fixtureRun(name: string, env: NodeJS.ProcessEnv = {}) {
    const d = defaultTrainConfig();
    const cfg: TrainConfig = { ...d, name, runsDir: join(dir, 'runs'), device: 'cpu', data: { ...d.data, corpus: sample, maxSeqLength: 512 }, training: { ...d.training, liveRougeSamples: 2 } };
    const { paths } = await prepareRun(cfg, dir);
    const messages: TrainerMessage[] = [];
    const state = await launchTrainer({ script: fixture, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, env, onMessage: (m) => messages.push(m) }).done;
    return { paths, messages, state };
  }

  it('the launcher scores each announced notes file with the ACI-BENCH ROUGE, records it in protocol.jsonl, and the history replays the curve', async () => {
    const { paths, messages, state } = await fixtureRun('fixture');
    assert.equal(state.status, 'finished');
    const scored = messages.flatMap((m) => (m.type === 'rouge' ? [m] : []));
    assert.deepEqual(scored.map((m) => m.step), [0, 2, 4]);
    for (const r of scored) {
      const notes = readLiveNotes(r.file);
      assert.equal(r.rouge1, numpyMean(notes.map((n) => rouge(n.reference, n.prediction).rouge1.fmeasure)));
      assert.equal(r.rougeL, numpyMean(notes.map((n) => rouge(n.reference, n.prediction).rougeL.fmeasure)));
    }
    assert.deepEqual([scored[0]!.empty, scored[0]!.cut, scored[2]!.cut], [1, 2, 0]);
    assert.ok(scored[0]!.rouge1 < scored[1]!.rouge1 && scored[1]!.rouge1 < scored[2]!.rouge1, 'longer true prefixes score higher');
    // Recorded in the run's protocol file: a later session (history) replays it without scoring again.
    const recorded = readFileSync(paths.protocol, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrainerMessage);
    assert.equal(recorded.filter((m) => m.type === 'rouge').length, 3);
    assert.deepEqual(replayRun(paths.dir).liveRouge, state.liveRouge);
    assert.equal(state.liveRouge.length, 3);
  });

  it('notes that cannot be scored become a warning and the run goes on', async () => {
    const { messages, state } = await fixtureRun('broken', { FIXTURE_BROKEN_AT: '2' });
    assert.equal(state.status, 'finished');
    assert.deepEqual(state.liveRouge.map((p) => p.step), [0, 4]);
    const warning = messages.find((m) => m.type === 'log' && /Live ROUGE at step 2 could not be scored/.test(m.message));
    assert.ok(warning && warning.type === 'log' && /step-2\.jsonl line 1 is not JSON/.test(warning.message), JSON.stringify(warning));
  });

  it('two runs compare on live ROUGE (×100, last evaluation and best); runs without it show none', () => {
    const point = (step: number, r1: number, rL: number) => ({ step, rouge1: r1, rouge2: r1 / 4, rougeL: rL, rougeLsum: rL, notes: 4, empty: 0, cut: 0, file: 'f' });
    const summary = (name: string, points: ReturnType<typeof point>[]): RunSummary => ({ name, dir: `/runs/${name}`, created: new Date(0), config: defaultTrainConfig(), state: { ...initialRunState(), liveRouge: points } });
    const a = summary('a', [point(0, 0.1, 0.08), point(25, 0.42, 0.3), point(50, 0.4, 0.31)]);
    const b = summary('b', []);
    const fig = Object.fromEntries(compareRuns(a, b).figures.map((f) => [f.key, [f.a, f.b]]));
    assert.deepEqual(fig['live ROUGE-1 ×100 (last evaluation)'], [40, undefined]);
    assert.deepEqual(fig['live ROUGE-1 ×100 (best)'], [42, undefined]);
    assert.deepEqual(fig['live ROUGE-L ×100 (best)'], [31, undefined]);
    assert.deepEqual(fig['live ROUGE-2 ×100 (last evaluation)'], [10, undefined]);
  });
});
