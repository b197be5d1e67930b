/**
 * Constants of the GGUF file format (the model format of llama.cpp), shared by the writer and
 * the reader. Values follow the format's public specification (ggml/docs/gguf.md).
 */

/** The four bytes every GGUF file starts with: "GGUF". */
export const GGUF_MAGIC = 0x46554747;

/** The GGUF version MediGen Lab writes. Versions 2 and 3 can be read. */
export const GGUF_VERSION = 3;

/** Alignment of the tensor data section when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Type tags of metadata values, as stored in the file. */
export const GgufValueType = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

/** Name of a scalar metadata type: 'u8', 'i32', 'f32', 'string', ... */
export type GgufScalarType = Exclude<keyof typeof GgufValueType, 'array'>;

/** A value as the reader returns it: numbers (64-bit integers as bigint), booleans, strings, arrays. */
export type GgufPlainValue = number | bigint | boolean | string | GgufPlainValue[];

/** Byte size of each fixed-size scalar type. */
export const SCALAR_SIZE: Record<Exclude<GgufScalarType, 'string'>, number> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  bool: 1,
  u64: 8,
  i64: 8,
  f64: 8,
};

/** The scalar type name for a type tag read from a file, or undefined for an unknown tag. */
export function scalarTypeName(tag: number): GgufScalarType | 'array' | undefined {
  for (const [name, v] of Object.entries(GgufValueType)) if (v === tag) return name as GgufScalarType | 'array';
  return undefined;
}

/** One ggml tensor type: its id, elements per block and bytes per block. */
export interface GgmlTypeInfo {
  id: number;
  name: string;
  blockSize: number;
  typeSize: number;
}

const T = (id: number, name: string, blockSize: number, typeSize: number): GgmlTypeInfo => ({ id, name, blockSize, typeSize });

/** Tensor types of ggml, by id (the ones found in published GGUF files). */
export const GGML_TYPES: Record<number, GgmlTypeInfo> = Object.fromEntries(
  [
    T(0, 'F32', 1, 4),
    T(1, 'F16', 1, 2),
    T(2, 'Q4_0', 32, 18),
    T(3, 'Q4_1', 32, 20),
    T(6, 'Q5_0', 32, 22),
    T(7, 'Q5_1', 32, 24),
    T(8, 'Q8_0', 32, 34),
    T(9, 'Q8_1', 32, 36),
    T(10, 'Q2_K', 256, 84),
    T(11, 'Q3_K', 256, 110),
    T(12, 'Q4_K', 256, 144),
    T(13, 'Q5_K', 256, 176),
    T(14, 'Q6_K', 256, 210),
    T(15, 'Q8_K', 256, 292),
    T(16, 'IQ2_XXS', 256, 66),
    T(17, 'IQ2_XS', 256, 74),
    T(18, 'IQ3_XXS', 256, 98),
    T(19, 'IQ1_S', 256, 50),
    T(20, 'IQ4_NL', 32, 18),
    T(21, 'IQ3_S', 256, 110),
    T(22, 'IQ2_S', 256, 82),
    T(23, 'IQ4_XS', 256, 136),
    T(24, 'I8', 1, 1),
    T(25, 'I16', 1, 2),
    T(26, 'I32', 1, 4),
    T(27, 'I64', 1, 8),
    T(28, 'F64', 1, 8),
    T(29, 'IQ1_M', 256, 56),
    T(30, 'BF16', 1, 2),
    T(34, 'TQ1_0', 256, 54),
    T(35, 'TQ2_0', 256, 66),
    T(39, 'MXFP4', 32, 17),
  ].map((t) => [t.id, t]),
);

/** Names of `general.file_type` values (llama.cpp's LLAMA_FTYPE_*), e.g. 15 → 'Q4_K_M'. */
export const FILE_TYPE_NAMES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4_MOE',
};

/** Bytes a tensor of `elements` elements of ggml type `typeId` takes, or undefined for an unknown type. */
export function tensorByteSize(typeId: number, elements: bigint): bigint | undefined {
  const t = GGML_TYPES[typeId];
  if (!t) return undefined;
  return (elements / BigInt(t.blockSize)) * BigInt(t.typeSize);
}
