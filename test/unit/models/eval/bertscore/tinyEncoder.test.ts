import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoModel, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import { DataType, GraphBuilder, ProtoWriter, encodeModel } from '../../../../../models/tiny/index';
import { makeTinyEncoder } from '../../../../../models/tiny/index';

env.allowRemoteModels = false;

type Out = Record<string, { dims: number[]; data: Float32Array }>;

describe('ONNX protobuf writer', () => {
  it('encodes varints, negative int64 and strings as protobuf does', () => {
    assert.deepEqual([...new ProtoWriter().varint(1, 300).finish()], [0x08, 0xac, 0x02]);
    assert.deepEqual([...new ProtoWriter().varint(2, -1).finish()], [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.deepEqual([...new ProtoWriter().string(3, 'hi').finish()], [0x1a, 0x02, 0x68, 0x69]);
    assert.deepEqual([...new ProtoWriter().packedVarints(1, [1, 150]).finish()], [0x0a, 0x03, 0x01, 0x96, 0x01]);
    assert.deepEqual([...new ProtoWriter().float(2, 1).finish()], [0x15, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('writes a model that onnxruntime-node loads and runs (MatMul + Add + attributes)', async () => {
    const b = new GraphBuilder();
    const w = b.floats('w', [2, 3], [1, 2, 3, 4, 5, 6]);
    const y = b.op('Add', [b.op('MatMul', ['x', w]), b.floats('bias', [3], [0.5, -0.5, 0])]);
    b.op('Transpose', [y], { perm: { ints: [1, 0] } }, 'y');
    b.op('Gather', [w, b.int64s('idx', [1], [-1])], { axis: { int: 0 } }, 'row');
    const bytes = encodeModel({
      graphName: 'unit',
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: ['n', 2] }],
      outputs: [
        { name: 'y', elemType: DataType.FLOAT, shape: [3, 'n'] },
        { name: 'row', elemType: DataType.FLOAT, shape: [1, 3] },
      ],
    });
    const session = await ort.InferenceSession.create(bytes);
    assert.deepEqual(session.inputNames, ['x']);
    assert.deepEqual(session.outputNames, ['y', 'row']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 2]), [2, 2]) });
    // x = [[1,0],[0,2]] · w = [[1,2,3],[8,10,12]] + bias, transposed to 3 × 2.
    assert.deepEqual(out.y!.dims, [3, 2]);
    assert.deepEqual([...(out.y!.data as Float32Array)], [1.5, 8.5, 1.5, 9.5, 3, 12]);
    assert.deepEqual([...(out.row!.data as Float32Array)], [4, 5, 6]);
    await session.release();
  });
});

describe('tiny encoder generator', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-tiny-encoder-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is deterministic for a seed and different across seeds', () => {
    const a = makeTinyEncoder(join(tmp, 'a'), { seed: 7 });
    makeTinyEncoder(join(tmp, 'b'), { seed: 7 });
    makeTinyEncoder(join(tmp, 'c'), { seed: 8 });
    const read = (d: string) => readFileSync(join(tmp, d, 'onnx', 'model.onnx'));
    assert.ok(read('a').equals(read('b')));
    assert.ok(!read('a').equals(read('c')));
    assert.deepEqual(a.outputNames, ['last_hidden_state', 'hidden_states.0', 'hidden_states.1', 'hidden_states.2']);
    const config = JSON.parse(readFileSync(join(tmp, 'a', 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'bert');
    assert.equal(config.num_hidden_layers, 2);
    assert.ok(a.vocabSize > 300, `vocabulary has ${a.vocabSize} entries`);
  });

  it('loads with transformers.js AutoTokenizer + AutoModel and gives per-layer token embeddings', async () => {
    const dir = makeTinyEncoder(join(tmp, 'load'), { seed: 3 }).dir;
    const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const model = await AutoModel.from_pretrained(dir, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
    const ids = tokenizer.encode('The patient reports knee swelling.');
    assert.equal(ids[0], 2, 'starts with [CLS]');
    assert.equal(ids.at(-1), 3, 'ends with [SEP]');
    assert.deepEqual(tokenizer.tokenize('Knee swellings, xyz'), ['knee', 'swelling', '##s', ',', 'x', '##y', '##z']);
    const out = (await model(tokenizer('The patient reports knee swelling.'))) as unknown as Out;
    assert.deepEqual(out.last_hidden_state!.dims, [1, ids.length, 32]);
    assert.deepEqual([...out['hidden_states.2']!.data], [...out.last_hidden_state!.data]);
    assert.notDeepEqual([...out['hidden_states.1']!.data], [...out['hidden_states.2']!.data]);
    assert.ok(out['hidden_states.0']!.data.every(Number.isFinite));
    await model.dispose();
  });

  it('masks padding: a text embedded alone equals the same text padded in a batch', async () => {
    const dir = makeTinyEncoder(join(tmp, 'mask'), { seed: 4 }).dir;
    const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const model = await AutoModel.from_pretrained(dir, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
    const alone = (await model(tokenizer('knee pain'))) as unknown as Out;
    const batch = (await model(tokenizer(['knee pain', 'the patient reports knee pain for three weeks'], { padding: true }))) as unknown as Out;
    const n = alone.last_hidden_state!.dims[1]!;
    const width = batch.last_hidden_state!.dims[1]!;
    assert.ok(width > n);
    for (let i = 0; i < n * 32; i++) {
      assert.ok(Math.abs(alone.last_hidden_state!.data[i]! - batch.last_hidden_state!.data[i]!) < 1e-5, `value ${i} differs`);
    }
    assert.ok(width * 32 <= batch.last_hidden_state!.data.length);
    await model.dispose();
  });

  it('a model generated with fewer layers is the truncation of the deeper one (same seed)', async () => {
    const full = makeTinyEncoder(join(tmp, 'full'), { seed: 5, layers: 2 }).dir;
    const cut = makeTinyEncoder(join(tmp, 'cut'), { seed: 5, layers: 1, perLayerOutputs: false });
    assert.deepEqual(cut.outputNames, ['last_hidden_state']);
    const ids = new Tensor('int64', BigInt64Array.from([2n, 150n, 151n, 3n]), [1, 4]);
    const feeds = { input_ids: ids, attention_mask: new Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]) };
    const a = await AutoModel.from_pretrained(full, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
    const b = await AutoModel.from_pretrained(cut.dir, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
    const layer1 = ((await a(feeds)) as unknown as Out)['hidden_states.1']!.data;
    const last = ((await b(feeds)) as unknown as Out).last_hidden_state!.data;
    assert.equal(last.length, 4 * 32);
    for (let i = 0; i < last.length; i++) assert.ok(Math.abs(layer1[i]! - last[i]!) < 1e-5);
    await a.dispose();
    await b.dispose();
  });
});
