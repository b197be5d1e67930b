export { SANDBOX_MARKER, Sandbox, exercisePath, type AttemptResult, type Checkpoint, type ExerciseRef } from './workspace';
export { ProgressStore, type ExerciseProgress, type ExerciseStatus, type ProgressState } from './progress';
