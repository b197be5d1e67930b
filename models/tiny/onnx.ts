/**
 * A minimal ONNX writer: just enough protobuf to serialise a ModelProto with one graph of plain
 * operators, float32 and int64 initializers, and typed inputs/outputs. Test-model tooling only
 * (the tiny encoder in tinyEncoder.ts); the project never reads ONNX with it.
 *
 * Field numbers follow onnx/onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */

/** ONNX TensorProto.DataType values this writer uses. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** A graph node attribute: a number is an INT unless `float` says otherwise. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: number[] }
  | { floats: number[] }
  | { string: string };

/** One operator call in the graph. */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Defaults to `<opType>_<index>`. */
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A constant tensor stored in the model (weights, shapes, scalars). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: DataTypeId;
  /** float32 values for FLOAT, int32 for INT32, int64 (as numbers or bigints) for INT64. */
  values: Float32Array | Int32Array | BigInt64Array | number[];
}

/** A graph input or output: element type and shape (a string is a symbolic dimension). */
export interface OnnxValueInfo {
  name: string;
  elemType: DataTypeId;
  shape: (number | string)[];
}

/** What {@link encodeModel} serialises. */
export interface OnnxModel {
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** ONNX IR version. Defaults to 8 (ONNX 1.10+, understood by every current onnxruntime). */
  irVersion?: number;
  /** Default-domain opset. Defaults to 17 (has LayerNormalization). */
  opset?: number;
  /** Defaults to "medigen-lab". */
  producerName?: string;
  /** Free text stored as the model doc_string. Defaults to none. */
  docString?: string;
}

// ---------------------------------------------------------------- protobuf wire format

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LEN = 2;

/** Collects protobuf bytes; nested messages are encoded separately and written as bytes. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private size = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    const bytes = Uint8Array.from(this.scratch);
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.scratch = [];
  }

  private rawVarint(value: bigint): void {
    // Negative int64 values are written as their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(BigInt((field << 3) | wire));
  }

  /** An int32/int64/enum/bool field. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(BigInt(value));
    return this;
  }

  /** A float field (fixed32). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  /** A bytes field or an already-encoded nested message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(BigInt(value.length));
    this.flushScratch();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message field. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field. */
  packedVarints(field: number, values: Iterable<number | bigint>): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    return this.bytes(field, b);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------- ONNX messages

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if ('int' in value) w.varint(3, value.int).varint(20, ATTR_INT);
  else if ('float' in value) w.float(2, value.float).varint(20, ATTR_FLOAT);
  else if ('ints' in value) w.packedVarints(8, value.ints).varint(20, ATTR_INTS);
  else if ('floats' in value) w.packedFloats(7, value.floats).varint(20, ATTR_FLOATS);
  else w.string(4, value.string).varint(20, ATTR_STRING);
}

function writeNode(w: ProtoWriter, node: OnnxNode, index: number): void {
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(3, node.name ?? `${node.opType}_${index}`);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value));
  }
}

/** The little-endian raw_data bytes of a tensor. */
function rawData(t: OnnxTensor): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.values.length !== count) {
    throw new Error(`ONNX tensor ${t.name}: ${t.values.length} values for dims [${t.dims.join(', ')}] (${count} expected).`);
  }
  const width = t.dataType === DataType.INT64 ? 8 : 4;
  const out = new Uint8Array(count * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const v = t.values[i]!;
    if (t.dataType === DataType.FLOAT) view.setFloat32(i * 4, Number(v), true);
    else if (t.dataType === DataType.INT32) view.setInt32(i * 4, Number(v), true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  }
  return out;
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  w.packedVarints(1, t.dims);
  w.varint(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, rawData(t));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  // TypeProto { tensor_type (1): Tensor { elem_type (1), shape (2): { dim (1): { dim_value 1 | dim_param 2 } } } }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** Serialises a model to the bytes of an `.onnx` file. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion ?? 8);
  w.string(2, model.producerName ?? 'medigen-lab');
  w.string(3, '0.1');
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    model.nodes.forEach((n, i) => g.message(1, (nw) => writeNode(nw, n, i)));
    g.string(2, model.graphName);
    for (const t of model.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of model.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of model.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  // OperatorSetIdProto { domain (1) = "" (default), version (2) }
  w.message(8, (o) => o.string(1, '').varint(2, model.opset ?? 17));
  return w.finish();
}

/**
 * A small graph builder: `b.op('MatMul', [x, w])` adds a node and returns its output name, and
 * `b.init(...)` adds an initializer, so model code reads like the computation it describes.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Adds a float32 initializer and returns its name. */
  floats(name: string, dims: number[], values: Float32Array | number[]): string {
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, values: values instanceof Float32Array ? values : Float32Array.from(values) });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64s(name: string, dims: number[], values: number[]): string {
    this.initializers.push({ name, dims, dataType: DataType.INT64, values });
    return name;
  }

  /** Adds a node with one output and returns that output's name (`out` defaults to a fresh name). */
  op(opType: string, inputs: string[], attributes?: Record<string, AttributeValue>, out?: string): string {
    const output = out ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [output], ...(attributes ? { attributes } : {}) });
    return output;
  }
}
