/**
 * Errors every part of MediGen Lab throws. Each one says what happened and what to do next,
 * because the people reading them are often students with little programming experience.
 */

/** A problem the user can fix: bad input file, missing model, failed check. CLI exit code 1. */
export class MedigenError extends Error {
  /** What to do about it, one or two sentences. */
  readonly hint: string;
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MedigenError';
    this.hint = hint;
  }
}

/** The command line was used wrongly (unknown flag, missing argument). CLI exit code 2. */
export class UsageError extends MedigenError {
  constructor(message: string, hint = 'Run the command with --help to see how to use it.') {
    super(message, hint);
    this.name = 'UsageError';
  }
}

/** A remote endpoint answered with an HTTP error; `status` is the HTTP status code. */
export class RemoteHttpError extends MedigenError {
  readonly status: number;
  constructor(status: number, message: string, hint: string) {
    super(message, hint);
    this.name = 'RemoteHttpError';
    this.status = status;
  }
}

/** The user (or a signal) stopped a long operation: nothing is wrong, and it can be started again. */
export class CancelledError extends MedigenError {
  constructor(message: string, hint = 'Start it again when you are ready.', options?: { cause?: unknown }) {
    super(message, hint, options);
    this.name = 'CancelledError';
  }
}

/** Formats any thrown value for a person: message, then the hint on its own line. */
export function describeError(err: unknown): string {
  if (err instanceof MedigenError) return `${err.message}\n  What to do: ${err.hint}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
