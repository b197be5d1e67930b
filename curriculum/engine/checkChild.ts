/**
 * Runs inside the separate check process that `runChecks` starts (node --import tsx). Loads the
 * exercise's mocha check files and reports each event as one JSON line on file descriptor 3, so
 * the parent learns results as they happen and still knows which check was running if it has to
 * kill this process (an infinite loop in student code).
 * Configuration comes in the MEDIGEN_CHECK_CONFIG environment variable (JSON of `ChildConfig`), or,
 * for a process started ahead of time (MEDIGEN_CHECK_WARM=1, see warm.ts), as one `WarmStart` line
 * on stdin: the process has loaded tsx, mocha and the library meanwhile, and runs one check only.
 */
import Mocha from 'mocha';
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inspect } from 'node:util';
import { exitWithParent } from './orphanGuard';

/** What the parent passes to this process. */
export interface ChildConfig {
  files: string[];
  timeoutMs: number;
  /** Limit of before/after hooks (starting the student's process happens there). */
  hookTimeoutMs: number;
  dryRun: boolean;
}

/** One line on fd 3. */
export type ChildEvent =
  | { event: 'loading' }
  | { event: 'plan'; tests: { title: string; fullTitle: string; file?: string }[] }
  | { event: 'begin'; kind: 'test' | 'hook'; title: string; fullTitle: string }
  | { event: 'pass'; title: string; fullTitle: string; durationMs: number }
  | { event: 'fail'; kind: 'test' | 'hook'; title: string; fullTitle: string; durationMs?: number; error: SerializedError; affected: string[] }
  | { event: 'load-error'; error: SerializedError }
  | { event: 'end'; passes: number; failures: number };

/** An error as it crosses the process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string;
  expected?: string;
  actual?: string;
  hasExpected: boolean;
  /** Node wrote the message (an assertion without the check author's own words). */
  generated?: boolean;
}

function send(e: ChildEvent): void {
  const buf = Buffer.from(`${JSON.stringify(e)}\n`);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(3, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

const show = (v: unknown) => inspect(v, { depth: 6, breakLength: 100, maxArrayLength: 50, maxStringLength: 2000, sorted: true });

function serialize(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), stack: '', hasExpected: false };
  const e = err as Error & { expected?: unknown; actual?: unknown; showDiff?: boolean; operator?: string; generatedMessage?: boolean };
  // assert.fail(message) compares nothing (its expected and actual are undefined), and assert.ok
  // only says "expected true, got false": the message says what was expected.
  const bare = e.operator === 'fail' || (e.operator === '==' && e.expected === true);
  const hasExpected = 'expected' in e && 'actual' in e && e.showDiff !== false && !bare;
  return { name: e.name, message: e.message, stack: e.stack ?? '', hasExpected, ...(hasExpected ? { expected: show(e.expected), actual: show(e.actual) } : {}), ...(e.generatedMessage === true ? { generated: true } : {}) };
}

function testsUnder(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(testsUnder)];
}

let config = JSON.parse(process.env.MEDIGEN_CHECK_CONFIG ?? '{}') as ChildConfig;

/** What a process started ahead of time gets on stdin when a check needs it. */
export interface WarmStart {
  config: ChildConfig;
  /** The student's folder: the working directory and MEDIGEN_EXERCISE_DIR. */
  workDir: string;
}

/** For a process started ahead of time: loads the library, then waits for its one check. */
async function warmStart(): Promise<void> {
  const preload = JSON.parse(process.env.MEDIGEN_CHECK_PRELOAD ?? '[]') as string[];
  // Loaded the way the check files load them (tsx runs a .ts file of this package as CommonJS),
  // so they find these modules ready instead of loading a second copy.
  const load = createRequire(join(process.cwd(), 'preload.cjs'));
  for (const f of preload) {
    try {
      load(f);
    } catch {
      /* the check files will import it again and report the error */
    }
  }
  // medigen-lab/checks (preloaded above) starts the student's process ahead of time too.
  const prepareStudent = (globalThis as Record<symbol, unknown>)[Symbol.for('medigen.prepareStudentHost')];
  if (typeof prepareStudent === 'function') (prepareStudent as (p: string[]) => void)(preload);
  const line = await new Promise<string>((res) => {
    const rl = createInterface({ input: process.stdin });
    rl.once('line', (l) => {
      res(l); // before close(), whose 'close' event would resolve with ''
      rl.close();
    });
    rl.once('close', () => res(''));
  });
  if (!line) process.exit(0); // the parent let it go unused
  const w = JSON.parse(line) as WarmStart;
  config = w.config;
  // medigen-lab/checks reads the check's time limit from here (a student call gets it, less 300 ms).
  process.env.MEDIGEN_CHECK_CONFIG = JSON.stringify(w.config);
  process.chdir(w.workDir);
  process.env.MEDIGEN_EXERCISE_DIR = w.workDir;
  delete process.env.MEDIGEN_CHECK_WARM;
  delete process.env.MEDIGEN_CHECK_PRELOAD;
}

let current: { runnable: Mocha.Runnable; kind: 'test' | 'hook'; pausedAt?: number; paused?: number } | undefined;

/**
 * Stops the running check's clock while `loadStudent` starts a student process, and starts it
 * again from zero once the process is ready (its mocha timer, and the parent's watchdog, which
 * gives a paused check the limit of a hook). The seconds Node and tsx take to start a process on
 * a busy machine do not count against the student's code.
 */
(globalThis as Record<symbol, unknown>)[Symbol.for('medigen.checkClock')] = (action: 'pause' | 'resume') => {
  if (!current) return;
  const { runnable, kind } = current;
  const base = kind === 'test' ? config.timeoutMs : config.hookTimeoutMs;
  if (action === 'pause') {
    current.pausedAt = Date.now();
    runnable.timeout(Math.max(runnable.timeout(), config.hookTimeoutMs));
  } else {
    // Mocha also compares the check's whole duration with its limit when it ends: add the pause.
    current.paused = (current.paused ?? 0) + Date.now() - (current.pausedAt ?? Date.now());
    runnable.timeout(base + current.paused);
  }
  send({ event: 'begin', kind: action === 'pause' ? 'hook' : kind, title: runnable.title, fullTitle: runnable.fullTitle() });
};

class EventReporter {
  constructor(runner: Mocha.Runner) {
    const C = Mocha.Runner.constants;
    runner.once(C.EVENT_RUN_BEGIN, () => {
      send({ event: 'plan', tests: testsUnder(runner.suite).map((t) => ({ title: t.title, fullTitle: t.fullTitle(), file: t.file })) });
    });
    if (config.dryRun) return; // a dry run only lists the checks
    runner.on(C.EVENT_TEST_BEGIN, (t: Mocha.Test) => {
      current = { runnable: t, kind: 'test' };
      send({ event: 'begin', kind: 'test', title: t.title, fullTitle: t.fullTitle() });
    });
    runner.on(C.EVENT_HOOK_BEGIN, (h: Mocha.Hook) => {
      current = { runnable: h, kind: 'hook' };
      send({ event: 'begin', kind: 'hook', title: h.title, fullTitle: h.fullTitle() });
    });
    runner.on(C.EVENT_TEST_PASS, (t: Mocha.Test) => send({ event: 'pass', title: t.title, fullTitle: t.fullTitle(), durationMs: t.duration ?? 0 }));
    runner.on(C.EVENT_TEST_FAIL, (t: Mocha.Runnable, err: unknown) => {
      const isHook = (t as Mocha.Runnable & { type?: string }).type === 'hook';
      const affected = isHook && t.parent ? testsUnder(t.parent).map((x) => x.fullTitle()) : [];
      send({ event: 'fail', kind: isHook ? 'hook' : 'test', title: t.title, fullTitle: t.fullTitle(), durationMs: t.duration, error: serialize(err), affected });
    });
    runner.once(C.EVENT_RUN_END, () => send({ event: 'end', passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
  }
}

interface HookSuite {
  _beforeAll: Mocha.Hook[];
  _afterAll: Mocha.Hook[];
  suites: HookSuite[];
}

/** Gives before()/after() hooks their own, longer limit: starting the student's process happens there. */
function setHookTimeouts(suite: HookSuite, ms: number): void {
  for (const h of [...suite._beforeAll, ...suite._afterAll]) h.timeout(ms);
  for (const s of suite.suites) setHookTimeouts(s, ms);
}

async function main(): Promise<void> {
  exitWithParent({ group: true });
  if (process.env.MEDIGEN_CHECK_WARM === '1') await warmStart();
  const cfg = config;
  send({ event: 'loading' });
  const mocha = new Mocha({ timeout: cfg.timeoutMs, dryRun: cfg.dryRun, reporter: EventReporter as unknown as typeof Mocha.reporters.Base, color: false, fullTrace: true });
  for (const f of cfg.files) mocha.addFile(f);
  try {
    await mocha.loadFilesAsync();
  } catch (e) {
    send({ event: 'load-error', error: serialize(e) });
    process.exit(3);
  }
  setHookTimeouts(mocha.suite as unknown as HookSuite, cfg.hookTimeoutMs);
  mocha.run((failures) => process.exit(failures ? 1 : 0));
}

void main();
