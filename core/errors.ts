/**
 * Errors every part of MediGen Lab throws. Each one says what happened and what to do next,
 * because the people reading them are often students with little programming experience.
 */

/** Where an error records the kinds of its class chain (a registry-wide symbol: the same in every copy of this file). */
const KINDS = Symbol.for('medigen-lab.error-kinds');

/**
 * A problem the user can fix: bad input file, missing model, failed check. CLI exit code 1.
 *
 * `instanceof` works by kind, not by class identity: a module loaded twice (tsx's CommonJS and ESM
 * copies, the CLI's chunks, a student's `medigen-lab` beside the extension's bundle) still tells a
 * MedigenError, or a UsageError, from a bug. A subclass names its `kind` to take part.
 */
export class MedigenError extends Error {
  static readonly kind: string = 'MedigenError';

  static override [Symbol.hasInstance](x: unknown): boolean {
    if (!Object.hasOwn(this, 'kind')) return Function.prototype[Symbol.hasInstance].call(this, x);
    const kinds = typeof x === 'object' && x !== null ? (x as { [KINDS]?: readonly string[] })[KINDS] : undefined;
    return kinds?.includes((this as unknown as { kind: string }).kind) ?? false;
  }

  /** What to do about it, one or two sentences. */
  readonly hint: string;
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MedigenError';
    this.hint = hint;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as unknown as { kind: string }).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
  }
}

/** The command line was used wrongly (unknown flag, missing argument). CLI exit code 2. */
export class UsageError extends MedigenError {
  static override readonly kind: string = 'UsageError';
  constructor(message: string, hint = 'Run the command with --help to see how to use it.') {
    super(message, hint);
    this.name = 'UsageError';
  }
}

/** A remote endpoint answered with an HTTP error; `status` is the HTTP status code. */
export class RemoteHttpError extends MedigenError {
  static override readonly kind: string = 'RemoteHttpError';
  readonly status: number;
  constructor(status: number, message: string, hint: string) {
    super(message, hint);
    this.name = 'RemoteHttpError';
    this.status = status;
  }
}

/** The user (or a signal) stopped a long operation: nothing is wrong, and it can be started again. */
export class CancelledError extends MedigenError {
  static override readonly kind: string = 'CancelledError';
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
