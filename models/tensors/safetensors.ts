/**
 * The safetensors format (what PEFT saves adapters in): an 8-byte little-endian header length, a
 * JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * Reading keeps only the header in memory until a tensor is asked for.
 */
import { open, writeFile } from 'node:fs/promises';
import { MedigenError } from '../../core/index';
import { f16BitsToF32 } from './f16';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  offsets: [number, number];
}

export interface SafetensorsFile {
  path: string;
  metadata: Record<string, string>;
  tensors: Map<string, SafetensorsEntry>;
  /** Reads one tensor as float32 values (F32, F16 and BF16 are converted). */
  read(name: string): Promise<Float32Array>;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  const bad = (why: string) => new MedigenError(`${path} is not a readable safetensors file: ${why}.`, 'Use the adapter_model.safetensors that PEFT saved (save_pretrained with safe_serialization=True), and check it was copied completely.');
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    throw new MedigenError(`The file ${path} does not exist.`, 'Check the adapter folder: PEFT saves adapter_model.safetensors and adapter_config.json.');
  }
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(8);
    if (size < 8 || (await fh.read(head, 0, 8, 0)).bytesRead < 8) throw bad('it is shorter than its 8-byte header');
    const n = Number(head.readBigUInt64LE(0));
    if (n <= 0 || n > 100 * 1024 * 1024 || 8 + n > size) throw bad(`the header length ${n} does not fit the file size ${size}`);
    const json = Buffer.alloc(n);
    await fh.read(json, 0, n, 8);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw bad('its header is not JSON');
    }
    const base = 8 + n;
    const tensors = new Map<string, SafetensorsEntry>();
    let metadata: Record<string, string> = {};
    for (const [name, v] of Object.entries(header)) {
      if (name === '__metadata__') {
        metadata = v as Record<string, string>;
        continue;
      }
      const e = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
      if (!e || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) throw bad(`tensor ${name} has no shape or offsets`);
      if (base + e.data_offsets[1] > size) throw bad(`tensor ${name} runs past the end of the file (truncated?)`);
      tensors.set(name, { dtype: e.dtype, shape: e.shape, offsets: e.data_offsets });
    }
    return {
      path,
      metadata,
      tensors,
      async read(name) {
        const e = tensors.get(name);
        if (!e) throw new MedigenError(`${path} has no tensor ${name}.`, 'The adapter does not match what was expected; re-export it with PEFT.');
        if (!(e.dtype in BYTES)) throw new MedigenError(`Tensor ${name} is ${e.dtype}; only F32, F16 and BF16 adapters can be converted.`, 'Save the adapter in float32, float16 or bfloat16.');
        const len = e.offsets[1] - e.offsets[0];
        const buf = Buffer.alloc(len);
        const h = await open(path, 'r');
        try {
          await h.read(buf, 0, len, base + e.offsets[0]);
        } finally {
          await h.close();
        }
        const count = len / BYTES[e.dtype]!;
        const out = new Float32Array(count);
        if (e.dtype === 'F32') for (let i = 0; i < count; i++) out[i] = buf.readFloatLE(i * 4);
        else if (e.dtype === 'F16') for (let i = 0; i < count; i++) out[i] = f16BitsToF32(buf.readUInt16LE(i * 2));
        else {
          const tmp = new DataView(new ArrayBuffer(4));
          for (let i = 0; i < count; i++) {
            tmp.setUint32(0, buf.readUInt16LE(i * 2) << 16, true);
            out[i] = tmp.getFloat32(0, true);
          }
        }
        return out;
      },
    };
  } finally {
    await fh.close();
  }
}

/** Writes float32 tensors as a safetensors file (used to save converted or test adapters). */
export async function writeSafetensors(path: string, tensors: Record<string, { shape: number[]; data: Float32Array }>, metadata: Record<string, string> = {}): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name]!;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`Tensor ${name}: shape ${t.shape} needs ${expected} values, got ${t.data.length}.`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const parts: Buffer[] = [head, Buffer.from(json)];
  for (const name of names) {
    const d = tensors[name]!.data;
    parts.push(Buffer.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
  }
  await writeFile(path, Buffer.concat(parts));
}
