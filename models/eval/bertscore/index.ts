/** BERTScore internals: the matching arithmetic and the ONNX encoder loader (see ../bertscore.ts for the entry point). */
export { type BaselineRow, type EmbeddedText, type PairScore, greedyMatch, idfWeights, normalizeRows, parseBaseline, rescale, uniformWeights } from './greedy';
export { type LayerChoice, type LoadedEncoder, type MedigenModelNotes, PER_LAYER_OUTPUT, REQUIRED_MODEL_FILES, chooseLayer, inspectModelFolder, loadEncoder } from './encoder';
export { HOW_TO_PREPARE } from './messages';
