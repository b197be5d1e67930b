export { KNOWN_ARCHITECTURES, architectureFromConfig, blockLinears, parameterCounts, resolveArchitecture, type Architecture, type ParameterCounts } from './architecture';
export { DEFAULT_TARGET_MODULES, defaultTrainConfig, loadTrainConfig, validateTrainConfig, type ConfigProblem, type TrainConfig } from './config';
export { adviseFit, estimateMemory, formatGiB, memorySettingsFor, type FitAdvice, type MemoryEstimate, type MemorySettings } from './memory';
export { checkTrainingEnvironment, launchTrainer, trainerScript, type LaunchOptions, type TrainingProcess } from './launcher';
export { PROTOCOL_VERSION, initialRunState, parseTrainerLine, reduceRun, type EnvironmentReport, type ErrorCategory, type RunState, type TrainerMessage } from './protocol';
export { slurmScript, type SlurmOptions } from './slurm';
export { explainTorchWithoutGpu, parseNvidiaSmi, queryNvidiaSmi, type SmiGpu, type SmiReport } from './gpus';
