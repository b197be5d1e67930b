/** The public face of curriculum/lab/. */
export { progressKey, lastResultsFile, type LastResults, type ExerciseKey, Lab, labModulesDir, resolveModulesDir, type LabUpdate, shippedModuleDirs, type LabCheckRun } from './lab';
export { buildLabTree, nextLesson, STATUS_VIEW, type LabTreeNode } from './treeModel';
export { type ExerciseNode, type LessonNode, type ModuleNode } from './treeModel';
