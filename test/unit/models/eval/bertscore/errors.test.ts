import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../../core/index';
import { bertScore, releaseBertScoreModel } from '../../../../../models/eval/index';
import { DataType, GraphBuilder, encodeModel } from '../../../../../models/tiny/index';
import { makeTinyEncoder } from '../../../../../models/tiny/index';

/** Asserts a MedigenError whose message matches `message` and whose hint matches `hint`. */
async function rejectsWith(p: Promise<unknown>, message: RegExp, hint?: RegExp) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof MedigenError, `expected a MedigenError, got ${String(err)}`);
    assert.match(err.message, message);
    if (hint) assert.match(err.hint, hint);
    return true;
  });
}

describe('bertScore errors and layer sources', () => {
  let tmp: string;
  let good: string;
  const pair = [['knee pain'], ['pain in the knee']] as const;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-bertscore-err-'));
    good = makeTinyEncoder(join(tmp, 'good'), { seed: 21 }).dir;
  });
  after(async () => {
    await releaseBertScoreModel();
    rmSync(tmp, { recursive: true, force: true });
  });
  const copy = (name: string) => {
    const dir = join(tmp, name);
    cpSync(good, dir, { recursive: true });
    return dir;
  };

  it('a missing folder, or a file passed instead of the folder', async () => {
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: join(tmp, 'nope') }), /does not exist/, /onnx\/model\.onnx/);
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: join(good, 'config.json') }), /is a file/, /folder/);
  });

  it('names the missing files', async () => {
    const dir = copy('no-onnx');
    rmSync(join(dir, 'onnx'), { recursive: true });
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir }), /missing onnx\/model\.onnx\.$/, /export/i);
    rmSync(join(dir, 'tokenizer.json'));
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir }), /missing tokenizer\.json, onnx\/model\.onnx/);
  });

  it('a file that is not an ONNX model, and a config.json that is not JSON', async () => {
    const dir = copy('garbage');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'PK\u0003\u0004 this is a zip of PyTorch weights, not ONNX');
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir }), /ONNX encoder \(onnx\/model\.onnx\).*could not be loaded/, /damaged|not what its name says/);
    const dir2 = copy('bad-config');
    writeFileSync(join(dir2, 'config.json'), '{"model_type": "bert",');
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir2 }), /config\.json.*not valid JSON/);
  });

  it('an ONNX file without token embeddings (a classification head) is refused as not an encoder', async () => {
    const dir = copy('head');
    const b = new GraphBuilder();
    const emb = b.op('Gather', [b.floats('emb', [500, 3], new Float32Array(1500).fill(0.5)), 'input_ids'], { axis: { int: 0 } });
    b.op('ReduceMean', [emb], { axes: { ints: [1] }, keepdims: { int: 0 } }, 'logits');
    const ids = ['input_ids', 'attention_mask'].map((name) => ({ name, elemType: DataType.INT64, shape: ['b', 's'] as (string | number)[] }));
    const bytes = encodeModel({ graphName: 'head', nodes: b.nodes, initializers: b.initializers, inputs: ids, outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['b', 3] }] });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), bytes);
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir }), /no token-embedding output.*logits/, /feature-extraction/);
  });

  it('an encoder-decoder config is refused', async () => {
    const dir = copy('seq2seq');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'bart', is_encoder_decoder: true }));
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: dir }), /encoder-decoder/, /deberta-xlarge-mnli/);
  });

  it('bad arguments: unequal lists, a negative layer, a layer the model lacks', async () => {
    await rejectsWith(bertScore(['a', 'b'], ['a'], { modelDir: good }), /2 references and 1 candidates/);
    await rejectsWith(bertScore(['a'], ['a'], { modelDir: good, layer: -1 }), /whole number/);
    await rejectsWith(bertScore(['a'], ['a'], { modelDir: good, layer: 5 }), /hidden layers 0\.\.2.*not layer 5/, /hidden_states\.N/);
    assert.deepEqual(await bertScore([], [], { modelDir: good }), { precision: [], recall: [], f1: [] });
  });

  it('an export with only last_hidden_state: a layer needs config.json or medigen.json to vouch for it', async () => {
    const full = await bertScore([...pair[0]], [...pair[1]], { modelDir: good, layer: 1 });
    // Truncated at layer 1 (same seed, 1 layer, no per-layer outputs), as a user export would be.
    const cut = makeTinyEncoder(join(tmp, 'cut'), { seed: 21, layers: 1, perLayerOutputs: false }).dir;
    const viaConfig = await bertScore([...pair[0]], [...pair[1]], { modelDir: cut, layer: 1 });
    assert.ok(Math.abs(viaConfig.f1[0]! - full.f1[0]!) < 1e-5, `${viaConfig.f1[0]} vs ${full.f1[0]}`);
    // The config claims the full depth (as when the export kept the original config.json): refused...
    const config = JSON.parse(readFileSync(join(cut, 'config.json'), 'utf8'));
    writeFileSync(join(cut, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 2 }));
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: cut, layer: 1 }), /last_hidden_state is layer 2, not layer 1/, /lastHiddenStateLayer/);
    // ...until medigen.json says where the export was truncated.
    writeFileSync(join(cut, 'medigen.json'), JSON.stringify({ lastHiddenStateLayer: 1 }));
    const viaNotes = await bertScore([...pair[0]], [...pair[1]], { modelDir: cut, layer: 1 });
    assert.ok(Math.abs(viaNotes.f1[0]! - full.f1[0]!) < 1e-5);
    writeFileSync(join(cut, 'medigen.json'), JSON.stringify({ lastHiddenStateLayer: 'forty' }));
    await rejectsWith(bertScore([...pair[0]], [...pair[1]], { modelDir: cut, layer: 1 }), /lastHiddenStateLayer.*whole number/);
  });

  it('baseline files: missing, malformed, or without the layer', async () => {
    await rejectsWith(bertScore(['a'], ['a'], { modelDir: good, baselineFile: join(tmp, 'none.csv') }), /does not exist/);
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, 'layer;p;r;f\n0;0.1;0.1;0.1\n');
    await rejectsWith(bertScore(['a'], ['a'], { modelDir: good, baselineFile: bad }), /not the header LAYER,P,R,F/);
    const short = join(tmp, 'short.csv');
    writeFileSync(short, 'LAYER,P,R,F\n0,0.1,0.1,0.1\n1,0.2,0.2,0.2\n');
    await rejectsWith(bertScore(['a'], ['a'], { modelDir: good, baselineFile: short }), /no row for layer 2 \(it has layers 0, 1\)/);
  });
});
