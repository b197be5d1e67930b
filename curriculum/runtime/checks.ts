/**
 * `medigen-lab/checks`: what an exercise's check files import to reach the student's code.
 *
 *     import { loadStudent, type Remote } from 'medigen-lab/checks';
 *     interface Student { countTurns(dialogue: string): Record<string, number> }
 *     let student: Remote<Student>;
 *     before(async () => { student = await loadStudent<Student>('turns.ts'); });
 *     after(() => student?.close());
 *     it('...', async () => assert.deepEqual(await student.countTurns('[doctor] hi'), { doctor: 1 }));
 *
 * The student's file runs in a separate Node process (studentHost.ts), never in the check
 * process that holds the assertions and the result channel, so student code that patches
 * `assert`, writes to file descriptor 3 or calls `process.exit` cannot produce a pass. Arguments
 * and results cross by structured clone (plain objects, arrays, Map, Set, Date, typed arrays).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsxLoaderUrl } from '../../core/paths';
import type { HostReply, HostRequest, WireError } from './wire';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The student's module seen from a check: every function of T, made async. */
export type Remote<T> = {
  [K in keyof T as T[K] extends AnyFn ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
} & {
  /** Reads a non-function export (a constant) of the student's file. */
  get<K extends keyof T & string>(name: K): Promise<T[K]>;
  /** Ends the student's process. Call it in an after() hook. */
  close(): Promise<void>;
};

const LOAD_LIMIT_MS = 15_000;

/** The name of the error a call (or loading the file) rejects with when it ran past its limit; the runner reports such checks as timeouts. */
export const STUDENT_TIMEOUT = 'StudentTimeoutError';

function checkTimeoutMs(): number {
  try {
    const cfg = JSON.parse(process.env.MEDIGEN_CHECK_CONFIG ?? '{}') as { timeoutMs?: number };
    return typeof cfg.timeoutMs === 'number' ? cfg.timeoutMs : 5000;
  } catch {
    return 5000;
  }
}

function projectRootHere(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Pauses or restarts the running check's clock in the check process (checkChild.ts); nothing elsewhere. */
function checkClock(action: 'pause' | 'resume'): void {
  const fn = (globalThis as Record<symbol, unknown>)[Symbol.for('medigen.checkClock')];
  if (typeof fn === 'function') (fn as (a: 'pause' | 'resume') => void)(action);
}

/** An Error with the student's message and stack, followed by the check's own frames (where it called). */
function studentError(e: WireError, callSite: string): Error {
  const err = new Error(e.message);
  err.name = e.name;
  const own = callSite.split('\n').slice(1).join('\n');
  err.stack = `${e.stack || `${e.name}: ${e.message}`}${own ? `\n${own}` : ''}`;
  return err;
}

interface Pending {
  child: ChildProcess;
  name: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  callSite: string;
  timer: NodeJS.Timeout;
}

/** Starts a student process for `entry` (a spare when undefined: it waits for its file, see studentHost.ts). */
function forkHost(entry: string | undefined, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const root = projectRootHere();
  const tsx = tsxLoaderUrl(root);
  return fork(join(dirname(fileURLToPath(import.meta.url)), 'studentHost.ts'), entry ? [entry] : [], {
    cwd: entry ? dirname(entry) : process.cwd(),
    execArgv: ['--import', tsx],
    serialization: 'advanced',
    // No fd 3 in the student's process: the IPC channel is fd 4, the result channel stays with the check.
    stdio: ['ignore', 'inherit', 'inherit', 'ignore', 'ipc'],
    env: { ...process.env, MEDIGEN_CHECK_CONFIG: '', MEDIGEN_CHECK_WARM: '', MEDIGEN_CHECK_PRELOAD: '', ...env },
  });
}

/** The spare lives on globalThis: one per check process, whichever copy of this module made it. */
const SPARE = Symbol.for('medigen.spareStudentHost');
const slot = globalThis as { [SPARE]?: ChildProcess };

/**
 * A check process started ahead of time (engine/warm.ts) calls this while it waits: a student
 * process starts too and loads tsx and the library (`preload`, without this file), so the first
 * `loadStudent` of the next check only sends it the file name. It runs that file only; nothing
 * of an earlier check is in it. It ends with the check process.
 */
export function prepareSpareStudentHost(preload: string[]): void {
  if (slot[SPARE]) return;
  const own = fileURLToPath(import.meta.url);
  const child = forkHost(undefined, { MEDIGEN_STUDENT_PRELOAD: JSON.stringify(preload.filter((f) => resolve(f) !== own)) });
  child.on('error', () => undefined);
  child.once('exit', () => slot[SPARE] === child && delete slot[SPARE]);
  slot[SPARE] = child;
}
(globalThis as Record<symbol, unknown>)[Symbol.for('medigen.prepareStudentHost')] = prepareSpareStudentHost;

/** The spare, if it is alive, taken (at most once). */
function takeSpare(): ChildProcess | undefined {
  const s = slot[SPARE];
  delete slot[SPARE];
  return s && s.connected && s.exitCode === null && s.signalCode === null ? s : undefined;
}

/** One student process: started on first use and again after it ended (a loop stopped for time, a process.exit). */
class StudentProcess {
  private child?: ChildProcess;
  private ready?: Promise<Map<string, 'function' | 'value'>>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private isReady = false;
  private stoppedFor?: string;
  /** What ended the process, when it was an error nothing waited for. */
  private crashed?: Extract<HostReply, { type: 'crash' }>;

  constructor(
    readonly entryFile: string,
    readonly entryName: string,
    private readonly callLimitMs: number,
  ) {}

  start(): Promise<Map<string, 'function' | 'value'>> {
    if (this.child && !this.child.connected) {
      // Ended (process.exit, killed for time) but its 'exit' event has not come yet: start afresh.
      this.child = undefined;
      this.ready = undefined;
    }
    if (this.ready) return this.ready;
    const adopted = takeSpare();
    const child = adopted ?? forkHost(this.entryFile);
    if (adopted) adopted.send({ type: 'load', entry: this.entryFile, exerciseDir: process.env.MEDIGEN_EXERCISE_DIR ?? dirname(this.entryFile) } satisfies HostRequest);
    this.child = child;
    this.isReady = false;
    this.stoppedFor = undefined;
    this.crashed = undefined;
    let loaded = false;
    this.ready = new Promise((res, rej) => {
      const loadTimer = setTimeout(() => {
        this.stoppedFor = `Your file ${this.entryName} did not finish loading within ${LOAD_LIMIT_MS / 1000} s, so it was stopped. Look for a loop outside any function (at the top of the file) that never ends.`;
        child.kill('SIGKILL');
      }, Math.max(LOAD_LIMIT_MS, this.callLimitMs));
      child.on('message', (m: HostReply) => {
        if (m.type === 'ready') {
          clearTimeout(loadTimer);
          loaded = true;
          if (this.child === child) this.isReady = true;
          res(new Map(m.exports.map((x) => [x.name, x.kind])));
        } else if (m.type === 'load-error') {
          clearTimeout(loadTimer);
          rej(studentError(m.error, new Error().stack ?? ''));
          child.kill('SIGKILL');
        } else if (m.type === 'crash') {
          if (this.child === child) this.crashed = m;
        } else this.settle(m);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(loadTimer);
        const why = this.stoppedFor ?? this.exitMessage(code, signal);
        const name = this.stoppedFor ? STUDENT_TIMEOUT : 'Error';
        rej(studentError({ name, message: why.replace('{while}', `while ${this.entryName} was loading`), stack: '' }, ''));
        for (const [id, p] of this.pending) {
          if (p.child !== child) continue;
          clearTimeout(p.timer);
          p.reject(studentError({ name, message: why.replace('{while}', `before ${p.name} returned`), stack: '' }, p.callSite));
          this.pending.delete(id);
        }
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
          // A process that had loaded and then ended (stopped for time, process.exit in a call):
          // start the next one now, so the next check does not spend its time limit waiting for it.
          if (loaded && !this.closed) void this.start().catch(() => undefined);
        }
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private exitMessage(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.closed) return 'The student process was closed by the check (after() ran before this call finished).';
    if (signal) return `The program running your code was stopped (${signal}) {while}. Did your code stop it, or run out of memory?`;
    const c = this.crashed;
    if (c?.kind === 'rejection') {
      return `Your code started something that failed later, and nothing waited for it: ${c.error.name}: ${c.error.message} {while}. That is usually a call to a function that gives a Promise (an async function, such as a model's generate) without await in front of it. Write await before each such call in your function (and async before the function, if it is not there yet).`;
    }
    if (c?.kind === 'exception') return `Your code threw ${c.error.name}: ${c.error.message} outside its function's own run (in a callback or a timer) {while}, which ends the program. Do that work inside the function, or catch the error where it happens.`;
    return `Your code ended the program with process.exit(${code ?? ''}) {while}. Return a value from the function instead of calling process.exit.`;
  }

  private settle(m: Extract<HostReply, { type: 'result' | 'error' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(studentError(m.error, p.callSite));
  }

  async request(type: 'call' | 'get', name: string, args: unknown[]): Promise<unknown> {
    const callSite = new Error().stack ?? '';
    if (this.closed) throw new Error(`The check called ${name} after closing the student's process (student.close()).`);
    const starting = !this.child || !this.child.connected || !this.isReady;
    if (starting) checkClock('pause');
    let exports: Map<string, 'function' | 'value'>;
    try {
      exports = await this.start();
    } finally {
      if (starting) checkClock('resume');
    }
    const kind = exports.get(name);
    if (!kind) {
      const fns = [...exports].filter(([, k]) => k === 'function').map(([n]) => n);
      throw studentError({ name: 'Error', message: `Your file ${this.entryName} does not export ${type === 'call' ? 'a function' : 'anything'} named ${name}. Check the spelling, and that it starts with \`export ${type === 'call' ? 'function' : 'const'} ${name}\`.${fns.length ? ` It exports: ${fns.join(', ')}.` : ''}`, stack: '' }, callSite);
    }
    const child = this.child!;
    const id = this.nextId++;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.stoppedFor = `Your code did not finish ${name} within ${Math.round(this.callLimitMs / 100) / 10} s, so it was stopped. Look for a loop that never ends (a while loop whose condition stays true, or a for loop that never reaches its end).`;
        child.kill('SIGKILL');
      }, this.callLimitMs);
      this.pending.set(id, { child, name, resolve: res, reject: rej, callSite, timer });
      try {
        child.send((type === 'call' ? { type, id, name, args } : { type, id, name }) satisfies HostRequest);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        rej(new Error(`The check passed ${name} something that cannot be sent to the student's process (${(e as Error).message}). Pass plain data.`));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((res) => {
      child.once('exit', () => res());
      child.kill('SIGKILL');
    });
  }
}

/**
 * Starts a separate Node process that imports the student's `entry` file (a name such as
 * 'turns.ts', in the student's folder: MEDIGEN_EXERCISE_DIR) and returns a `Remote` whose
 * functions call the student's functions there. Rejects with the student's own error (message
 * and stack) when the file does not load. Each call is stopped (the process killed, then
 * started again on the next call) when it runs longer than the check's time limit.
 */
export async function loadStudent<T>(entry: string): Promise<Remote<T>> {
  const workDir = resolve(process.env.MEDIGEN_EXERCISE_DIR ?? '.');
  const file = resolve(workDir, entry);
  if (!existsSync(file)) throw new Error(`Your folder has no file ${entry} (looked in ${workDir}). Restore it (Reset the exercise), or create it from the starter.`);
  const limit = Math.max(100, checkTimeoutMs() - 300);
  const sp = new StudentProcess(file, basename(file), limit);
  checkClock('pause');
  try {
    await sp.start();
  } finally {
    checkClock('resume');
  }
  return new Proxy({} as Remote<T>, {
    get(_, prop) {
      if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
      if (prop === 'get') return (name: string) => sp.request('get', name, []);
      if (prop === 'close') return () => sp.close();
      return (...args: unknown[]) => sp.request('call', prop, args);
    },
  });
}
