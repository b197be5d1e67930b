/** Shared basics of every MediGen Lab folder: named errors, progress reporting, where the project's files are, reading and writing the user's files. */
export { CancelledError, MedigenError, RemoteHttpError, UsageError, describeError } from './errors';
export { streamProgress, type Progress } from './progress';
export { forwardSlashes, isWithin, projectRoot, tsxLoaderUrl, type PathApi } from './paths';
export { killProcessTree } from './processTree';
export {
  assertOutputsAreNotInputs,
  fileError,
  fileErrorOf,
  readUserFile,
  readUserJson,
  readUserText,
  requireUserDir,
  statUserFile,
  writeUserFile,
  type NamedPath,
} from './files';
export { buildManifest, manifestFileFor, sha256Text, writeManifest } from './manifest';
export { importPackage } from './packages';
