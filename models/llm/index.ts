export { defaultThreads, parseGpuChoice, parseThreads, resolveSettings, getRuntime, disposeRuntimes, describeHardware, availableMemory, type GpuChoice, type RuntimeSettings, type HardwareReport } from './hardware';
export { isRemoteRef, modelsDir, listModels, rememberModel, resolveModel, type ModelEntry, type ResolveModelOptions } from './registry';
export { estimateMemory, checkModelFile, loadLlm, type LoadLlmOptions, type LoadedLlm } from './load';
export { DEFAULT_NOTE_SECTIONS, noteGrammar, sectionHeadersIn, soapGrammarWithin, type NoteGrammarOptions } from './grammar';
export { NoteGenerator, checkAdapter, type LoraAdapter, type NoteGeneratorOptions, type GenerateOptions, type RenderedPrompt, type GenerationResult } from './generate';
export { measureThreads, type ThreadMeasurement } from './bench';
export { nodeLlamaCpp } from './lib';
export { assessFit, catalogFile, downloadCatalogModel, findCatalogModel, isDownloaded, loadCatalog, type CatalogModel, type DownloadOptions, type ModelFit } from './catalog';
