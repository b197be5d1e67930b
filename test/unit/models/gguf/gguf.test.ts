import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { MedigenError } from '../../../../core/index';
import { f16BitsToF32, f32ToF16Bits } from '../../../../models/tensors/index';
import { gguf, GgufError, readGgufHeader, summarizeGguf, writeGguf } from '../../../../models/gguf/index';

describe('GGUF writer and reader', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-gguf-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const metadata = {
    'general.architecture': 'llama',
    'general.name': 'round trip ✓ ünïcödé',
    'test.u8': gguf.u8(255),
    'test.i8': gguf.i8(-128),
    'test.u16': gguf.u16(65535),
    'test.i16': gguf.i16(-32768),
    'test.u32': gguf.u32(4294967295),
    'test.i32': gguf.i32(-2147483648),
    'test.f32': gguf.f32(0.5),
    'test.f64': gguf.f64(Math.PI),
    'test.u64': gguf.u64(2n ** 63n + 5n),
    'test.i64': gguf.i64(-(2n ** 62n)),
    'test.bool': false,
    'test.strings': gguf.arr('string', ['a', '', 'ü\n"quoted"']),
    'test.ints': gguf.arr('i32', [1, -2, 3]),
    'test.floats': gguf.arr('f32', new Float32Array([0.25, -1.5])),
    'llama.context_length': gguf.u32(2048),
  };
  const f32 = new Float32Array([1, -2, 3.5, 0, 1e-3, 65504, -0.25, 7]);
  const tensors = [
    { name: 'a.weight', dims: [4, 2], type: 'F32' as const, data: f32 },
    { name: 'b.weight', dims: [8], type: 'F16' as const, data: () => f32 },
    { name: 'c.weight', dims: [3], type: 'F32' as const, data: new Float32Array([9, 8, 7]) },
  ];

  it('writes every metadata type and reads it back exactly', async () => {
    const file = join(dir, 'rt.gguf');
    const r = await writeGguf(file, { metadata, tensors });
    assert.equal(r.tensorCount, 3);
    const info = await readGgufHeader(file);
    assert.equal(info.version, 3);
    const m = info.metadata;
    assert.equal(m['general.name'], 'round trip ✓ ünïcödé');
    assert.equal(m['test.u8'], 255);
    assert.equal(m['test.i8'], -128);
    assert.equal(m['test.u16'], 65535);
    assert.equal(m['test.i16'], -32768);
    assert.equal(m['test.u32'], 4294967295);
    assert.equal(m['test.i32'], -2147483648);
    assert.equal(m['test.f32'], 0.5);
    assert.equal(m['test.f64'], Math.PI);
    assert.equal(m['test.u64'], 2n ** 63n + 5n);
    assert.equal(m['test.i64'], -(2n ** 62n));
    assert.equal(m['test.bool'], false);
    assert.deepEqual(m['test.strings'], ['a', '', 'ü\n"quoted"']);
    assert.deepEqual(m['test.ints'], [1, -2, 3]);
    assert.deepEqual(m['test.floats'], [0.25, -1.5]);
    assert.equal(info.metadataTypes['test.u64'], 'u64');
    assert.equal(info.metadataTypes['test.strings'], 'array<string>');
  });

  it('lays tensors out 32-byte aligned with the right bytes (F32 as is, F16 converted)', async () => {
    const file = join(dir, 'rt.gguf');
    const info = await readGgufHeader(file);
    assert.equal(info.dataOffset % 32, 0);
    const bytes = readFileSync(file);
    const [a, b, c] = info.tensors;
    assert.deepEqual([a!.name, a!.typeName, a!.dims], ['a.weight', 'F32', [4, 2]]);
    for (const t of info.tensors) assert.equal(t.offset % 32, 0, `${t.name} offset aligned`);
    for (let i = 0; i < 8; i++) assert.equal(bytes.readFloatLE(info.dataOffset + a!.offset + 4 * i), f32[i]);
    assert.equal(b!.typeName, 'F16');
    assert.equal(b!.byteSize, 16);
    const halves = Array.from({ length: 8 }, (_, i) => f16BitsToF32(bytes.readUInt16LE(info.dataOffset + b!.offset + 2 * i)));
    assert.deepEqual(halves.map((h, i) => Math.abs(h - f32[i]!) <= Math.abs(f32[i]!) * 1e-3), Array(8).fill(true));
    assert.equal(bytes.readFloatLE(info.dataOffset + c!.offset + 8), 7);
  });

  it('is read identically by node-llama-cpp\'s own GGUF parser', async () => {
    const file = join(dir, 'rt.gguf');
    const theirs = await readGgufFileInfo(file, { readTensorInfo: true });
    assert.equal(theirs.version, 3);
    assert.deepEqual(theirs.fullTensorInfo?.map((t) => t.name), ['a.weight', 'b.weight', 'c.weight']);
    const ours = await readGgufHeader(file);
    assert.deepEqual(theirs.fullTensorInfo?.map((t) => Number(t.offset)), ours.tensors.map((t) => t.offset));
    assert.equal(theirs.metadata.general.name, 'round trip ✓ ünïcödé');
    assert.equal((theirs.metadata as unknown as { test: { i32: number } }).test.i32, -2147483648);
  });

  it('converts to F16 with round-to-nearest-even, subnormals, overflow and NaN', () => {
    assert.equal(f32ToF16Bits(1), 0x3c00);
    assert.equal(f32ToF16Bits(-2), 0xc000);
    assert.equal(f32ToF16Bits(65504), 0x7bff);
    assert.equal(f32ToF16Bits(65520), 0x7c00); // rounds up to infinity
    assert.equal(f32ToF16Bits(1e6), 0x7c00);
    assert.equal(f32ToF16Bits(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(f32ToF16Bits(2 ** -14), 0x0400); // smallest normal
    assert.equal(f32ToF16Bits(1e-9), 0);
    assert.equal(f32ToF16Bits(1 + 2 ** -11), 0x3c00); // tie → even
    assert.equal(f32ToF16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie → even (up)
    assert.ok(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN))));
    assert.equal(f16BitsToF32(f32ToF16Bits(0.1)), 0.0999755859375);
  });

  it('refuses untyped numbers and mismatched tensor data with a named error', async () => {
    await assert.rejects(writeGguf(join(dir, 'x.gguf'), { metadata: { 'a.b': 3 as never }, tensors: [] }), (e: unknown) => e instanceof MedigenError && /"a\.b" has no type/.test(e.message) && /gguf\.u32/.test(e.hint));
    await assert.rejects(writeGguf(join(dir, 'y.gguf'), { metadata: {}, tensors: [{ name: 't', dims: [3], type: 'F32', data: new Float32Array(2) }] }), /has 2 values but its shape \[3\] needs 3/);
    assert.equal(existsSync(join(dir, 'y.gguf')), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.partial')), [], 'no partial file left behind');
  });

  it('stops when cancelled and leaves no file', async () => {
    const ac = new AbortController();
    const file = join(dir, 'cancel.gguf');
    const lazy = () => {
      ac.abort();
      return new Float32Array(4);
    };
    await assert.rejects(writeGguf(file, { metadata: {}, tensors: [{ name: 'a', dims: [4], type: 'F32', data: lazy }, { name: 'b', dims: [4], type: 'F32', data: new Float32Array(4) }] }, { signal: ac.signal }), /cancelled/);
    assert.equal(existsSync(file), false);
  });

  describe('damaged files', () => {
    it('random bytes: not-gguf, saying what the file starts with', async () => {
      const file = join(dir, 'random.gguf');
      writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
      await assert.rejects(readGgufHeader(file), (e: unknown) => e instanceof GgufError && e.code === 'not-gguf' && /instead of "GGUF"/.test(e.message) && /\.gguf/.test(e.hint));
    });

    it('a safetensors file: not-gguf with a conversion hint', async () => {
      const file = join(dir, 'model.safetensors');
      writeFileSync(file, Buffer.concat([Buffer.from([8, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"__metadata__":{}}')]));
      await assert.rejects(readGgufHeader(file), (e: unknown) => e instanceof GgufError && e.code === 'not-gguf' && /safetensors/.test(e.hint));
    });

    it('a download cut short in the data: truncated, with how much is there', async () => {
      const file = join(dir, 'cut-data.gguf');
      writeFileSync(file, readFileSync(join(dir, 'rt.gguf')));
      const info = await readGgufHeader(file);
      truncateSync(file, info.dataOffset + 10);
      await assert.rejects(readGgufHeader(file), (e: unknown) => e instanceof GgufError && e.code === 'truncated' && /% present/.test(e.message) && /Download/.test(e.hint));
    });

    it('a download cut short in the header: truncated', async () => {
      const file = join(dir, 'cut-head.gguf');
      writeFileSync(file, readFileSync(join(dir, 'rt.gguf')).subarray(0, 100));
      await assert.rejects(readGgufHeader(file), (e: unknown) => e instanceof GgufError && (e.code === 'truncated' || e.code === 'corrupt'));
    });

    it('another version: unsupported-version', async () => {
      const file = join(dir, 'v9.gguf');
      const b = Buffer.from(readFileSync(join(dir, 'rt.gguf')));
      b.writeUInt32LE(9, 4);
      writeFileSync(file, b);
      await assert.rejects(readGgufHeader(file), (e: unknown) => e instanceof GgufError && e.code === 'unsupported-version' && /version 9/.test(e.message));
    });

    it('a missing file: not-found', async () => {
      await assert.rejects(readGgufHeader(join(dir, 'nope.gguf')), (e: unknown) => e instanceof GgufError && e.code === 'not-found');
    });
  });

  it('leaves long arrays out of the metadata but counts them', async () => {
    const file = join(dir, 'long.gguf');
    await writeGguf(file, { metadata: { 'tokenizer.ggml.tokens': gguf.arr('string', Array.from({ length: 3000 }, (_, i) => `t${i}`)), 'general.architecture': 'llama' }, tensors: [] });
    const info = await readGgufHeader(file);
    assert.equal(info.metadata['tokenizer.ggml.tokens'], undefined);
    assert.equal(info.arrayLengths['tokenizer.ggml.tokens'], 3000);
    assert.equal(summarizeGguf(info).vocabularySize, 3000);
    const full = await readGgufHeader(file, { maxArrayItems: Infinity });
    assert.equal((full.metadata['tokenizer.ggml.tokens'] as string[])[2999], 't2999');
  });
});
