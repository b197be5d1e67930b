export { GGUF_MAGIC, GGUF_VERSION, GGUF_DEFAULT_ALIGNMENT, GgufValueType, GGML_TYPES, FILE_TYPE_NAMES, tensorByteSize, type GgufScalarType, type GgufPlainValue, type GgmlTypeInfo } from './types';
export { writeGguf, gguf, elementCount, type GgufKvValue, type GgufTensorSpec, type GgufTensorData, type GgufWriteInput, type GgufWriteOptions, type GgufWriteResult } from './writer';
export { readGgufHeader, GgufError, type GgufErrorCode, type GgufFileInfo, type GgufTensorInfo, type GgufReadOptions } from './reader';
export { summarizeGguf, formatBytes, formatParams, type GgufSummary } from './summary';
export { convertHfToGguf, type ConvertHfOptions, type ConvertHfResult } from './convertHf';
