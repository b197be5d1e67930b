/**
 * Tiny models MediGen Lab makes itself, with random (seeded) weights: a llama-architecture GGUF
 * and a LoRA adapter for it (generation, grammar and adapter code paths without a download), and a
 * BERT-style ONNX encoder for BERTScore. Their notes are noise; they exist so every pipeline step
 * runs offline, in lessons, tests and demos. The model picker offers the tiny llama.
 */
export { CHATML_TEMPLATE, TINY_LLAMA, TINY_MODELS_VERSION, ensureTinyModels, makeTinyLlama, seededRandom, tinyModelsDir, type TinyLlamaConfig, type TinyModels } from './tinyLlama';
export { makeTinyLora, type TinyLoraOptions } from './tinyLora';
export { makeTinyEncoder, type TinyEncoderInfo, type TinyEncoderOptions } from './tinyEncoder';
export { DataType, GraphBuilder, ProtoWriter, encodeModel, type OnnxModel } from './onnx';
