/**
 * Reads the header of a GGUF file (metadata and tensor infos) without loading tensor data, so it
 * is fast on multi-gigabyte models. Damaged files give a `GgufError` that says what is wrong.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { MedigenError } from '../../core/index';
import { GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, scalarTypeName, tensorByteSize, type GgufPlainValue, type GgufScalarType } from './types';

/** Why a file could not be read as GGUF. */
export type GgufErrorCode = 'not-found' | 'not-gguf' | 'truncated' | 'unsupported-version' | 'corrupt';

/** A file that is missing, not GGUF, cut short, of an unsupported version or damaged. */
export class GgufError extends MedigenError {
  static override readonly kind: string = 'GgufError';
  readonly code: GgufErrorCode;
  constructor(code: GgufErrorCode, message: string, hint: string) {
    super(message, hint);
    this.name = 'GgufError';
    this.code = code;
  }
}

/** One tensor as described in the header. */
export interface GgufTensorInfo {
  name: string;
  /** Shape in ggml order (dims[0] is the row length). */
  dims: number[];
  typeId: number;
  /** ggml type name such as 'F16' or 'Q4_K', or `type<id>` for a type this reader does not know. */
  typeName: string;
  /** Offset of the data from the start of the data section. */
  offset: number;
  /** Bytes of data, when the type is known. */
  byteSize?: number;
  elements: number;
}

/** The parsed header of a GGUF file. */
export interface GgufFileInfo {
  path: string;
  version: number;
  fileSize: number;
  alignment: number;
  /** Where tensor data starts in the file. */
  dataOffset: number;
  /** Metadata values. Arrays longer than `maxArrayItems` are left out here; see `arrayLengths`. */
  metadata: Record<string, GgufPlainValue>;
  /** Stored type of each metadata key ('u32', 'string', 'array<string>', ...). */
  metadataTypes: Record<string, string>;
  /** Length of every array-valued key, including the ones left out of `metadata`. */
  arrayLengths: Record<string, number>;
  tensors: GgufTensorInfo[];
}

/** Options of `readGgufHeader`. */
export interface GgufReadOptions {
  /** Arrays with more items than this are counted but not kept (tokenizer vocabularies are large). Defaults to 1024. */
  maxArrayItems?: number;
}

const CHUNK = 1 << 20;

/** Reads forward through a file handle in chunks. */
class Cursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly path: string,
  ) {}

  private async need(n: number): Promise<void> {
    if (this.pos + n <= this.bufStart + this.buf.length) return;
    if (this.pos + n > this.size) {
      throw new GgufError('truncated', `${this.path} ends too early: its header needs more bytes than the file has (${this.size} bytes). The file is incomplete.`, 'The download or copy was probably interrupted. Download or copy the model again.');
    }
    const len = Math.min(Math.max(n, CHUNK), this.size - this.pos);
    const b = Buffer.alloc(len);
    const { bytesRead } = await this.fh.read(b, 0, len, this.pos);
    if (bytesRead < n) throw new GgufError('truncated', `${this.path} could not be read past byte ${this.pos + bytesRead}.`, 'The file may be incomplete or on a disconnected drive. Copy it again.');
    this.buf = b.subarray(0, bytesRead);
    this.bufStart = this.pos;
  }
  private at(): number {
    return this.pos - this.bufStart;
  }
  async u32(): Promise<number> {
    await this.need(4);
    const v = this.buf.readUInt32LE(this.at());
    this.pos += 4;
    return v;
  }
  async u64(): Promise<bigint> {
    await this.need(8);
    const v = this.buf.readBigUInt64LE(this.at());
    this.pos += 8;
    return v;
  }
  async count(what: string, minBytesEach: number): Promise<number> {
    const v = await this.u64();
    if (v * BigInt(minBytesEach) > BigInt(this.size - this.pos)) {
      throw new GgufError('corrupt', `${this.path} says ${what} is ${v}, more than the file can hold.`, 'The file is damaged or not a GGUF model. Download it again.');
    }
    return Number(v);
  }
  async string(): Promise<string> {
    const n = await this.count('a text length', 1);
    await this.need(n);
    const s = this.buf.toString('utf8', this.at(), this.at() + n);
    this.pos += n;
    return s;
  }
  async scalar(t: Exclude<GgufScalarType, 'string'>): Promise<number | bigint | boolean> {
    const sizes = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, bool: 1, u64: 8, i64: 8, f64: 8 };
    await this.need(sizes[t]);
    const o = this.at();
    const b = this.buf;
    this.pos += sizes[t];
    switch (t) {
      case 'u8': return b.readUInt8(o);
      case 'i8': return b.readInt8(o);
      case 'u16': return b.readUInt16LE(o);
      case 'i16': return b.readInt16LE(o);
      case 'u32': return b.readUInt32LE(o);
      case 'i32': return b.readInt32LE(o);
      case 'f32': return b.readFloatLE(o);
      case 'f64': return b.readDoubleLE(o);
      case 'bool': return b.readUInt8(o) !== 0;
      case 'u64': return b.readBigUInt64LE(o);
      case 'i64': return b.readBigInt64LE(o);
    }
  }
}

async function readValue(c: Cursor, key: string, tag: number, path: string, keep: boolean): Promise<GgufPlainValue> {
  const t = scalarTypeName(tag);
  if (t === undefined || t === 'array') {
    throw new GgufError('corrupt', `${path}: metadata "${key}" has an unknown value type ${tag}.`, 'The file is damaged, or was written by a newer tool than MediGen Lab understands.');
  }
  if (t === 'string') return c.string();
  const v = await c.scalar(t);
  return keep ? v : 0;
}

/**
 * Reads a GGUF file's header: version, metadata and tensor infos. Tensor data is not read, but
 * the file size is checked against where the last tensor ends, so a truncated download is caught.
 */
export async function readGgufHeader(path: string, options: GgufReadOptions = {}): Promise<GgufFileInfo> {
  const maxItems = options.maxArrayItems ?? 1024;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GgufError('not-found', `There is no model file at ${path}.`, 'Check the path, or download the model first (for example `medigen models info hf:<user>/<repo>:<quant>`).');
    if (code === 'EISDIR') throw new GgufError('not-gguf', `${path} is a folder, not a model file.`, 'Give the path of the .gguf file inside it. A Hugging Face model folder, a PEFT adapter folder or a training run folder can be given to `medigen generate --model / --lora` (and `medigen models info`), which convert it to GGUF on the way.');
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const c = new Cursor(fh, size, path);
    if (size < 4) throw new GgufError('not-gguf', `${path} is not a GGUF model file (it is only ${size} bytes).`, 'Give a .gguf model file, such as one downloaded from Hugging Face.');
    const magic = await c.u32();
    if (magic !== GGUF_MAGIC) {
      const head = Buffer.alloc(4);
      head.writeUInt32LE(magic);
      const shown = /^[\x20-\x7e]{4}$/.test(head.toString('latin1')) ? `"${head.toString('latin1')}"` : `bytes ${head.toString('hex')}`;
      const first = Buffer.alloc(16);
      await fh.read(first, 0, 16, 0);
      const safetensors = first.subarray(8, 10).toString('latin1') === '{"';
      const zip = first.subarray(0, 2).toString('latin1') === 'PK';
      const hint = safetensors || zip
        ? `This looks like a ${safetensors ? 'safetensors' : 'PyTorch (.bin/.pt)'} file. Give MediGen Lab its folder instead: \`medigen generate --model <model folder>\` converts a Hugging Face model (and \`--lora <adapter folder or run folder>\` a PEFT adapter) to GGUF on the way. Or download a GGUF version of the model.`
        : 'Give a .gguf model file (it starts with the letters GGUF). Models for llama.cpp are published as .gguf files on Hugging Face.';
      throw new GgufError('not-gguf', `${path} is not a GGUF model file: it starts with ${shown} instead of "GGUF".`, hint);
    }
    const version = await c.u32();
    if (version !== 2 && version !== 3) {
      const hint = version > 0xffff ? 'This looks like a big-endian GGUF file, which MediGen Lab cannot read. Use the normal (little-endian) version of the model.' : version === 1 ? 'GGUF version 1 is obsolete. Download a current version of the model.' : 'This file was written by a newer tool. Update MediGen Lab, or use a model file in GGUF version 3.';
      throw new GgufError('unsupported-version', `${path} is GGUF version ${version}; MediGen Lab reads versions 2 and 3.`, hint);
    }
    const tensorCount = await c.count('the number of tensors', 24);
    const kvCount = await c.count('the number of metadata entries', 12);
    const metadata: Record<string, GgufPlainValue> = {};
    const metadataTypes: Record<string, string> = {};
    const arrayLengths: Record<string, number> = {};
    for (let i = 0; i < kvCount; i++) {
      const key = await c.string();
      const tag = await c.u32();
      if (tag === 9) {
        const itemTag = await c.u32();
        const n = await c.count(`the length of array "${key}"`, 1);
        const keep = n <= maxItems;
        const items: GgufPlainValue[] = [];
        for (let j = 0; j < n; j++) {
          const v = await readValue(c, key, itemTag, path, keep);
          if (keep) items.push(v);
        }
        arrayLengths[key] = n;
        metadataTypes[key] = `array<${scalarTypeName(itemTag)}>`;
        if (keep) metadata[key] = items;
      } else {
        metadata[key] = await readValue(c, key, tag, path, true);
        metadataTypes[key] = scalarTypeName(tag) ?? `type${tag}`;
      }
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await c.string();
      const nd = await c.u32();
      if (nd > 8) throw new GgufError('corrupt', `${path}: tensor ${name} claims ${nd} dimensions.`, 'The file is damaged. Download it again.');
      const dims: number[] = [];
      for (let d = 0; d < nd; d++) dims.push(Number(await c.u64()));
      const typeId = await c.u32();
      const offset = Number(await c.u64());
      const elements = dims.reduce((a, b) => a * b, 1);
      const bytes = tensorByteSize(typeId, BigInt(elements));
      tensors.push({ name, dims, typeId, typeName: GGML_TYPES[typeId]?.name ?? `type${typeId}`, offset, elements, ...(bytes !== undefined ? { byteSize: Number(bytes) } : {}) });
    }
    const alignment = typeof metadata['general.alignment'] === 'number' ? (metadata['general.alignment'] as number) : GGUF_DEFAULT_ALIGNMENT;
    const dataOffset = Math.ceil(c.pos / alignment) * alignment;
    let needed = dataOffset;
    for (const t of tensors) if (t.byteSize !== undefined) needed = Math.max(needed, dataOffset + t.offset + t.byteSize);
    if (tensors.length > 0 && needed > size) {
      const pct = ((size / needed) * 100).toFixed(1);
      throw new GgufError('truncated', `${path} is incomplete: it has ${size} bytes but its tensors need ${needed} (${pct}% present).`, 'The download or copy was interrupted. Download the model again (node-llama-cpp downloads resume where they stopped).');
    }
    return { path, version, fileSize: size, alignment, dataOffset, metadata, metadataTypes, arrayLengths, tensors };
  } finally {
    await fh.close();
  }
}
