export { MANIFEST_FILE, DEFAULT_CHECK_TIME_LIMIT_MS, MIN_WRONG_ANSWERS, INSTRUCTOR_ONLY_FOLDERS, type ModuleEdition, type WrongAnswer, type CurriculumModule, type Exercise, type Lesson, type LoadResult, type ModuleManifest, type ModuleProblem } from './types';
export { readSchema, validateAgainstSchema, type JsonSchema, type SchemaError } from './schema';
export { loadModule, linksLeaving, listFiles, parseHints, exerciseLinks, checkFilesLoad, mapLimit, type LoadModuleOptions } from './load';
export { runChecks, warmUpChecks, checkFilesOf, gradingFilesOf, type RunChecksOptions, type CheckResult, type CheckRun } from './checks';
export { stackLocations, firstLocationIn, declarationNamedIn, type SourceLocation } from './locate';
export { validateModule, type ValidateOptions, type ValidationReport, type ExerciseValidation } from './validate';
export { releaseModule, commitRelease, RELEASE_RECORD, type ReleaseOptions, type ReleaseResult, type CommittedRelease } from './release';
export { scaffoldModule, slugify, ciWorkflow, CI_WORKFLOW_FILE, CI_VALIDATE_COMMAND, type ScaffoldOptions } from './scaffold';
export { unifiedDiff } from './diff';
export { jsonErrorPosition } from './jsonPosition';
export { checkMessageLines, explainJsError, explainValues, MESSAGE_LINES } from './explain';
export { aroundFirstDifference, compactDiff, DIFF_LINES, truncate, VALUE_CHARS, type DiffLine } from './values';
export { slipsIn, slipsInFolder, type Slip } from './slips';
export {
  installModule,
  updateModule,
  listInstalled,
  defaultModulesDir,
  compareVersions,
  type InstalledModule,
  type InstallOptions,
  type UpdateOptions,
  type UpdateResult,
  type KeptFile,
  type ModulesDirOption,
} from './install';
export { LAB_MODULE, CHECKS_MODULE, labEntryFile, labTsconfig, checkTsconfig, prepareWorkspace, isModuleDir, type PrepareWorkspaceOptions } from './workspace';
export { exitWithParent } from './orphanGuard';
export { scoreExercise, checkWorth, isGradingCheck, formatScore, type ExerciseScore, type CheckScore, type ScoreOptions } from './points';
