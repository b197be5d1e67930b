/** Shared basics of every MediGen Lab folder: named errors, progress reporting, where the project's files are. */
export { CancelledError, MedigenError, RemoteHttpError, UsageError, describeError } from './errors';
export { streamProgress, type Progress } from './progress';
export { projectRoot } from './paths';
