export { Sandbox, exercisePath, type Checkpoint, type ExerciseRef } from './workspace';
export { ProgressStore, type ExerciseProgress, type ExerciseStatus, type ProgressState } from './progress';
