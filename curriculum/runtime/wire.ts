/** Messages between a check process (`loadStudent`, checks.ts) and the student's process (studentHost.ts). */

/** An error as it crosses from the student's process: the student's own message and stack. */
export interface WireError {
  name: string;
  message: string;
  stack: string;
}

/**
 * Check process → student process. `load` goes to a spare process (started without a file, see
 * prepareSpareStudentHost): the student's entry file, and the exercise folder it runs in.
 */
export type HostRequest =
  | { type: 'call'; id: number; name: string; args: unknown[] }
  | { type: 'get'; id: number; name: string }
  | { type: 'load'; entry: string; exerciseDir: string };

/** Student process → check process. */
export type HostReply =
  | { type: 'ready'; exports: { name: string; kind: 'function' | 'value' }[] }
  | { type: 'load-error'; error: WireError }
  | { type: 'result'; id: number; name: string; value: unknown }
  | { type: 'error'; id: number; error: WireError }
  /** An error nothing waited for (a promise without await, a throw in a callback): the process ends next. */
  | { type: 'crash'; kind: 'rejection' | 'exception'; error: WireError };
