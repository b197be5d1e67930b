/**
 * Writes GGUF v3 files (the model format of llama.cpp) from TypeScript: typed metadata, tensor
 * infos, 32-byte aligned tensor data, F32 tensors as they are and F16 tensors converted here.
 * Data is streamed tensor by tensor, so a converter never holds a whole model in memory.
 */
import { open, rename, rm } from 'node:fs/promises';
import { CancelledError, MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { f32ToF16 } from '../tensors/index';
import { GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgufValueType, SCALAR_SIZE, tensorByteSize, type GgufScalarType } from './types';

/** A typed metadata value for the writer. Build them with the `gguf` helpers. */
export type GgufKvValue =
  | { type: Exclude<GgufScalarType, 'string' | 'bool'>; value: number | bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: GgufScalarType; values: readonly (number | bigint | boolean | string)[] | ArrayLike<number> };

/** Helpers that tag a value with its GGUF type, e.g. `gguf.u32(2048)`, `gguf.arr('string', tokens)`. */
export const gguf = {
  u8: (value: number): GgufKvValue => ({ type: 'u8', value }),
  i8: (value: number): GgufKvValue => ({ type: 'i8', value }),
  u16: (value: number): GgufKvValue => ({ type: 'u16', value }),
  i16: (value: number): GgufKvValue => ({ type: 'i16', value }),
  u32: (value: number): GgufKvValue => ({ type: 'u32', value }),
  i32: (value: number): GgufKvValue => ({ type: 'i32', value }),
  u64: (value: number | bigint): GgufKvValue => ({ type: 'u64', value }),
  i64: (value: number | bigint): GgufKvValue => ({ type: 'i64', value }),
  f32: (value: number): GgufKvValue => ({ type: 'f32', value }),
  f64: (value: number): GgufKvValue => ({ type: 'f64', value }),
  bool: (value: boolean): GgufKvValue => ({ type: 'bool', value }),
  str: (value: string): GgufKvValue => ({ type: 'string', value }),
  arr: (itemType: GgufScalarType, values: readonly (number | bigint | boolean | string)[] | ArrayLike<number>): GgufKvValue => ({ type: 'array', itemType, values }),
};

/** Tensor data: float values (for F32/F16 tensors) or raw bytes already in the tensor's type. */
export type GgufTensorData = Float32Array | Uint8Array;

/** One tensor to write. */
export interface GgufTensorSpec {
  /** Tensor name, e.g. `blk.0.attn_q.weight`. */
  name: string;
  /** Shape in ggml order: dims[0] is the fastest-varying (row length), e.g. [n_in, n_out] for a weight matrix. */
  dims: number[];
  /** ggml type: 'F32' or 'F16' (converted from float values here), or any ggml type id when `data` holds raw bytes. */
  type: 'F32' | 'F16' | number;
  /** The values, or a function that produces them when the writer reaches this tensor (streaming). */
  data: GgufTensorData | (() => GgufTensorData | Promise<GgufTensorData>);
}

/** What to write: metadata in order (plain strings and booleans are typed automatically) and tensors. */
export interface GgufWriteInput {
  metadata: Record<string, GgufKvValue | string | boolean>;
  tensors: GgufTensorSpec[];
}

/** Options of `writeGguf`. */
export interface GgufWriteOptions {
  /** Data alignment in bytes. Defaults to `general.alignment` from the metadata, else 32. */
  alignment?: number;
  /** Reports tensors written. */
  progress?: Progress;
  /** Stops writing; the partial file is removed. */
  signal?: AbortSignal;
}

/** What `writeGguf` wrote. */
export interface GgufWriteResult {
  path: string;
  bytes: number;
  tensorCount: number;
  kvCount: number;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Growable little-endian byte buffer for the header. */
class ByteBuilder {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  scalar(type: Exclude<GgufScalarType, 'string'>, v: number | bigint | boolean): void {
    this.ensure(SCALAR_SIZE[type]);
    const o = this.length;
    const n = typeof v === 'bigint' ? v : Number(v);
    switch (type) {
      case 'u8': this.buf.writeUInt8(Number(n), o); break;
      case 'i8': this.buf.writeInt8(Number(n), o); break;
      case 'u16': this.buf.writeUInt16LE(Number(n), o); break;
      case 'i16': this.buf.writeInt16LE(Number(n), o); break;
      case 'u32': this.buf.writeUInt32LE(Number(n), o); break;
      case 'i32': this.buf.writeInt32LE(Number(n), o); break;
      case 'f32': this.buf.writeFloatLE(Number(n), o); break;
      case 'f64': this.buf.writeDoubleLE(Number(n), o); break;
      case 'bool': this.buf.writeUInt8(v ? 1 : 0, o); break;
      case 'u64': this.buf.writeBigUInt64LE(BigInt(n), o); break;
      case 'i64': this.buf.writeBigInt64LE(BigInt(n), o); break;
    }
    this.length += SCALAR_SIZE[type];
  }
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function typed(key: string, v: GgufKvValue | string | boolean | number): GgufKvValue {
  if (typeof v === 'string') return gguf.str(v);
  if (typeof v === 'boolean') return gguf.bool(v);
  if (typeof v === 'object' && v !== null && 'type' in v) return v;
  throw new MedigenError(`GGUF metadata "${key}" has no type (value ${String(v)}).`, 'Wrap numbers with a typed helper such as gguf.u32(...) or gguf.f32(...): llama.cpp checks the type of every key.');
}

function writeValue(b: ByteBuilder, key: string, v: GgufKvValue): void {
  b.u32(GgufValueType[v.type]);
  if (v.type === 'string') b.string(v.value);
  else if (v.type === 'array') {
    b.u32(GgufValueType[v.itemType]);
    b.u64(v.values.length);
    for (let i = 0; i < v.values.length; i++) {
      const item = v.values[i]!;
      if (v.itemType === 'string') {
        if (typeof item !== 'string') throw new MedigenError(`GGUF array "${key}" item ${i} is not a string.`, 'Give every item of a string array as a string.');
        b.string(item);
      } else b.scalar(v.itemType, item as number | bigint | boolean);
    }
  } else b.scalar(v.type, v.value);
}

function typeId(t: GgufTensorSpec['type']): number {
  return t === 'F32' ? 0 : t === 'F16' ? 1 : t;
}

/** Number of elements of a tensor shape. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, d) => a * d, 1);
}

function tensorBytes(spec: GgufTensorSpec, data: GgufTensorData, expected: bigint): Uint8Array {
  const n = elementCount(spec.dims);
  let bytes: Uint8Array;
  if (data instanceof Float32Array) {
    if (data.length !== n) throw new MedigenError(`Tensor ${spec.name} has ${data.length} values but its shape [${spec.dims.join(', ')}] needs ${n}.`, 'Check the shape (ggml order: row length first) matches the data.');
    if (spec.type === 'F16') bytes = f32ToF16(data);
    else if (spec.type === 'F32') {
      if (LITTLE_ENDIAN_HOST) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      else {
        const b = Buffer.alloc(n * 4);
        data.forEach((v, i) => b.writeFloatLE(v, i * 4));
        bytes = b;
      }
    } else throw new MedigenError(`Tensor ${spec.name} has float values but type ${GGML_TYPES[typeId(spec.type)]?.name ?? spec.type}.`, 'Give float values for F32/F16 tensors, or raw bytes (Uint8Array) for quantized types.');
  } else bytes = data;
  if (BigInt(bytes.length) !== expected) throw new MedigenError(`Tensor ${spec.name} has ${bytes.length} bytes of data but its shape and type need ${expected}.`, 'Check the tensor shape, type and data agree.');
  return bytes;
}

function aligned(n: bigint, a: bigint): bigint {
  return ((n + a - 1n) / a) * a;
}

/**
 * Writes a GGUF v3 file. The file is first written as `<path>.<pid>.partial` and renamed when complete,
 * so an interrupted or cancelled write never leaves a truncated model behind.
 */
export async function writeGguf(path: string, input: GgufWriteInput, options: GgufWriteOptions = {}): Promise<GgufWriteResult> {
  const meta = { ...input.metadata };
  const alignKv = meta['general.alignment'];
  const alignment = options.alignment ?? (typeof alignKv === 'object' && 'value' in alignKv ? Number(alignKv.value) : GGUF_DEFAULT_ALIGNMENT);
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) throw new MedigenError(`GGUF alignment ${alignment} is not a positive multiple of 8.`, 'Use the default alignment of 32 bytes.');
  if (alignment !== GGUF_DEFAULT_ALIGNMENT && !('general.alignment' in meta)) meta['general.alignment'] = gguf.u32(alignment);

  const seen = new Set<string>();
  const layout = input.tensors.map((t) => {
    if (seen.has(t.name)) throw new MedigenError(`Two tensors are named ${t.name}.`, 'Give every tensor a unique name.');
    seen.add(t.name);
    const id = typeId(t.type);
    const size = tensorByteSize(id, BigInt(elementCount(t.dims)));
    if (size === undefined) throw new MedigenError(`Tensor ${t.name} has an unknown ggml type ${t.type}.`, `Use one of: ${Object.values(GGML_TYPES).map((g) => g.name).join(', ')}.`);
    return { spec: t, id, size };
  });

  const b = new ByteBuilder();
  b.u32(GGUF_MAGIC);
  b.u32(GGUF_VERSION);
  b.u64(layout.length);
  const keys = Object.keys(meta);
  b.u64(keys.length);
  for (const k of keys) {
    b.string(k);
    writeValue(b, k, typed(k, meta[k]!));
  }
  const A = BigInt(alignment);
  let offset = 0n;
  const offsets: bigint[] = [];
  for (const { spec, id, size } of layout) {
    b.string(spec.name);
    b.u32(spec.dims.length);
    for (const d of spec.dims) b.u64(d);
    b.u32(id);
    b.u64(offset);
    offsets.push(offset);
    offset = aligned(offset + size, A);
  }
  const header = b.result();
  const dataStart = aligned(BigInt(header.length), A);

  const partial = `${path}.${process.pid}.partial`;
  const fh = await open(partial, 'w');
  let pos = 0;
  const write = async (bytes: Uint8Array) => {
    await fh.write(bytes, 0, bytes.length, pos);
    pos += bytes.length;
  };
  try {
    await write(header);
    await write(new Uint8Array(Number(dataStart) - header.length));
    for (let i = 0; i < layout.length; i++) {
      if (options.signal?.aborted) throw new CancelledError('Writing the GGUF file was cancelled.', 'Start the conversion again when you are ready.');
      const { spec, size } = layout[i]!;
      const data = typeof spec.data === 'function' ? await spec.data() : spec.data;
      const bytes = tensorBytes(spec, data, size);
      await write(bytes);
      const end = i + 1 < layout.length ? offsets[i + 1]! : aligned(offsets[i]! + size, A);
      const pad = Number(end - offsets[i]! - size);
      if (pad > 0) await write(new Uint8Array(pad));
      options.progress?.report(i + 1, layout.length, spec.name);
    }
    await fh.close();
    await rename(partial, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw e;
  }
  return { path, bytes: pos, tensorCount: layout.length, kvCount: keys.length };
}
