import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModel, AutoTokenizer, env } from '@huggingface/transformers';
import { bertScore, releaseBertScoreModel } from '../../../../../models/eval/index';
import { makeTinyEncoder } from '../../../../../models/tiny/index';

env.allowRemoteModels = false;

const REFS = [
  'The patient reports left knee pain and swelling for three weeks after running.',
  'Blood pressure is stable. Continue lisinopril 10 mg daily and follow up in six months.',
  'Denies fever, chills, nausea or vomiting.',
  'Physical exam: tenderness over the right shoulder, range of motion intact.',
];
const CANDS = [
  'Patient has had knee swelling and pain for 3 weeks since running.',
  'Hypertension is well controlled on lisinopril; return in 6 months.',
  'No fever or chills. Some nausea.',
  'The abdomen is soft and non tender.',
];

/**
 * An independent, straightforward BERTScore: each text embedded alone (no batching, no padding)
 * straight from transformers.js, rows normalised in float64, and the definition of the paper
 * written out with explicit loops. `weights` maps token ids to importance (CLS=2 and SEP=3 get 0).
 */
async function referenceScores(dir: string, output: string, refs: string[], cands: string[], idf: boolean) {
  const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  const model = await AutoModel.from_pretrained(dir, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
  const embed = async (text: string) => {
    const ids = tokenizer.encode(text);
    const out = (await model(tokenizer(text))) as unknown as Record<string, { dims: number[]; data: Float32Array }>;
    const t = out[output]!;
    const dim = t.dims[2]!;
    const rows: number[][] = [];
    for (let i = 0; i < ids.length; i++) {
      const row = Array.from(t.data.slice(i * dim, (i + 1) * dim));
      const norm = Math.hypot(...row);
      rows.push(row.map((x) => x / norm));
    }
    return { ids, rows };
  };
  const docFreq = new Map<number, number>();
  for (const r of refs) for (const id of new Set(tokenizer.encode(r))) docFreq.set(id, (docFreq.get(id) ?? 0) + 1);
  const weightOf = (id: number) => {
    if (id === 2 || id === 3) return 0;
    if (!idf) return 1;
    return Math.log((refs.length + 1) / ((docFreq.get(id) ?? 0) + 1));
  };
  const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k]!, 0);
  const side = (from: { ids: number[]; rows: number[][] }, to: { rows: number[][] }) => {
    let num = 0;
    let den = 0;
    from.ids.forEach((id, i) => {
      const best = Math.max(...to.rows.map((r) => dot(from.rows[i]!, r)));
      num += weightOf(id) * best;
      den += weightOf(id);
    });
    return num / den;
  };
  const out = { precision: [] as number[], recall: [] as number[], f1: [] as number[] };
  for (let i = 0; i < refs.length; i++) {
    const r = await embed(refs[i]!);
    const c = await embed(cands[i]!);
    const p = side(c, r);
    const rec = side(r, c);
    out.precision.push(p);
    out.recall.push(rec);
    out.f1.push((2 * p * rec) / (p + rec));
  }
  await model.dispose();
  return out;
}

function assertClose(actual: number[], expected: number[], tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= tol, `${what}[${i}]: ${a} vs ${expected[i]} (tolerance ${tol})`));
}

describe('bertScore on a generated tiny encoder', () => {
  let tmp: string;
  let model: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-bertscore-'));
    model = makeTinyEncoder(join(tmp, 'model'), { seed: 11 }).dir;
  });
  after(async () => {
    await releaseBertScoreModel();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('scores identical texts 1 (P, R and F, within 1e-6)', async () => {
    const texts = [...REFS, 'a', 'Knee.', REFS.join(' ')];
    const s = await bertScore(texts, texts, { modelDir: model });
    for (const key of ['precision', 'recall', 'f1'] as const) {
      s[key].forEach((x, i) => assert.ok(Math.abs(x - 1) < 1e-6, `${key}[${i}] = ${x}`));
    }
  });

  it('gives scores in [-1, 1], below 1 for different texts, and P(a, b) = R(b, a)', async () => {
    const ab = await bertScore(REFS, CANDS, { modelDir: model });
    const ba = await bertScore(CANDS, REFS, { modelDir: model });
    for (const key of ['precision', 'recall', 'f1'] as const) {
      ab[key].forEach((x) => assert.ok(x >= -1 && x <= 1 && x < 0.999, `${key} = ${x}`));
    }
    assertClose(ab.precision, ba.recall, 1e-12, 'P(a,b) vs R(b,a)');
    assertClose(ab.recall, ba.precision, 1e-12, 'R(a,b) vs P(b,a)');
    assertClose(ab.f1, ba.f1, 1e-12, 'F symmetric');
  });

  it('matches an independent straightforward implementation (last layer, no idf)', async () => {
    const got = await bertScore(REFS, CANDS, { modelDir: model });
    const want = await referenceScores(model, 'last_hidden_state', REFS, CANDS, false);
    assertClose(got.precision, want.precision, 1e-5, 'precision');
    assertClose(got.recall, want.recall, 1e-5, 'recall');
    assertClose(got.f1, want.f1, 1e-5, 'f1');
  });

  it('matches the independent implementation with idf weights and layer 1', async () => {
    const got = await bertScore(REFS, CANDS, { modelDir: model, idf: true, layer: 1 });
    const want = await referenceScores(model, 'hidden_states.1', REFS, CANDS, true);
    assertClose(got.precision, want.precision, 1e-5, 'precision');
    assertClose(got.recall, want.recall, 1e-5, 'recall');
    assertClose(got.f1, want.f1, 1e-5, 'f1');
  });

  it('idf changes the weights, the layer changes the embeddings; layer 2 is the default last layer', async () => {
    const plain = await bertScore(REFS, CANDS, { modelDir: model });
    const idf = await bertScore(REFS, CANDS, { modelDir: model, idf: true });
    const layer0 = await bertScore(REFS, CANDS, { modelDir: model, layer: 0 });
    const layer2 = await bertScore(REFS, CANDS, { modelDir: model, layer: 2 });
    assert.ok(plain.f1.some((x, i) => Math.abs(x - idf.f1[i]!) > 1e-4), 'idf makes a difference');
    assert.ok(plain.f1.some((x, i) => Math.abs(x - layer0.f1[i]!) > 1e-4), 'layer 0 differs from the last layer');
    assertClose(layer2.f1, plain.f1, 1e-12, 'layer 2 = default');
  });

  it('does not depend on the batch size', async () => {
    const one = await bertScore(REFS, CANDS, { modelDir: model, batchSize: 1 });
    const all = await bertScore(REFS, CANDS, { modelDir: model, batchSize: 64 });
    assertClose(one.f1, all.f1, 1e-5, 'f1');
    assertClose(one.precision, all.precision, 1e-5, 'precision');
  });

  it('scores empty or blank texts 0, as bert_score does', async () => {
    const s = await bertScore(['', 'knee pain', '   \n', 'knee pain'], ['knee pain', '', 'cough', 'knee pain'], { modelDir: model });
    assert.deepEqual(s.precision.slice(0, 3), [0, 0, 0]);
    assert.deepEqual(s.recall.slice(0, 3), [0, 0, 0]);
    assert.deepEqual(s.f1.slice(0, 3), [0, 0, 0]);
    assert.ok(Math.abs(s.f1[3]! - 1) < 1e-6);
  });

  it('rescales with the baseline row of the chosen layer: (x - b) / (1 - b)', async () => {
    const file = join(tmp, 'baseline.tsv');
    writeFileSync(file, 'LAYER,P,R,F\n0,0.1,0.2,0.3\n1,0.4,0.5,0.6\n2,0.25,0.35,0.45\n');
    const raw = await bertScore(REFS, CANDS, { modelDir: model, layer: 1 });
    const scaled = await bertScore(REFS, CANDS, { modelDir: model, layer: 1, baselineFile: file });
    assertClose(scaled.precision, raw.precision.map((x) => (x - 0.4) / 0.6), 1e-12, 'precision');
    assertClose(scaled.recall, raw.recall.map((x) => (x - 0.5) / 0.5), 1e-12, 'recall');
    assertClose(scaled.f1, raw.f1.map((x) => (x - 0.6) / 0.4), 1e-12, 'f1');
    const last = await bertScore([''], ['knee'], { modelDir: model, baselineFile: file });
    assertClose(last.f1, [(0 - 0.45) / 0.55], 1e-12, 'empty text rescaled with the layer-2 row');
  });

  it('keeps [CLS] and [SEP] when it truncates a long text to the model length', async () => {
    const { loadEncoder } = await import('../../../../../models/eval/bertscore/encoder');
    const enc = await loadEncoder(model, undefined);
    const long = Array.from({ length: 700 }, (_, i) => (i % 2 ? 'knee' : 'pain')).join(' ');
    const ids = enc.encode(long);
    assert.equal(ids.length, 512);
    assert.equal(ids[0], 2);
    assert.equal(ids[511], 3);
    assert.equal(enc.encode('  knee pain \n').length, 4);
    assert.deepEqual(enc.encode(' '), [2, 3]);
    await enc.dispose();
    const s = await bertScore([long], [long], { modelDir: model });
    assert.ok(Math.abs(s.f1[0]! - 1) < 1e-6);
  });

  it('reports progress up to the number of distinct texts, and stops on an aborted signal', async () => {
    const seen: [number, number][] = [];
    await bertScore(REFS, REFS, { modelDir: model, batchSize: 2, progress: { report: (d, t) => seen.push([d, t]) } });
    assert.deepEqual(seen.at(-1), [4, 4]);
    assert.ok(seen.length >= 3);
    const ctrl = new AbortController();
    ctrl.abort();
    await assert.rejects(bertScore(REFS, CANDS, { modelDir: model, signal: ctrl.signal }), { name: 'AbortError' });
  });
});
