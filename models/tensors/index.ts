/**
 * Raw tensor helpers shared by the GGUF writer/converter (models/gguf) and the adapter converter
 * (models/train): safetensors reading, F16 conversion and llama.cpp's rotary row order. It imports
 * neither of them, so neither depends on the other through it.
 */
export { f16BitsToF32, f32ToF16, f32ToF16Bits } from './f16';
export { permuteRopeRows } from './rope';
export { readSafetensors, writeSafetensors, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile } from './safetensors';
