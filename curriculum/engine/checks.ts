import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killProcessTree, MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { projectRoot, tsxLoaderUrl } from '../../core/index';
import type { ChildConfig, ChildEvent, SerializedError } from './checkChild';
import { declarationNamedIn, firstLocationIn, type SourceLocation } from './locate';
import { checkTsconfig } from './workspace';
import { prepareWarmCheck, takeWarmCheck, type CheckSpawn } from './warm';
import { DEFAULT_CHECK_TIME_LIMIT_MS } from './types';

/** Name of the error `loadStudent` rejects with when student code ran past its limit (curriculum/runtime/checks.ts). */
const STUDENT_TIMEOUT = 'StudentTimeoutError';

/** Options of `runChecks`. */
export interface RunChecksOptions {
  /** The exercise folder (it holds checks/*.test.ts). */
  exerciseDir: string;
  /** The folder with the student's files (or starter/ or solution/). Checks find it in MEDIGEN_EXERCISE_DIR. */
  workDir: string;
  /** Limit for the whole run in milliseconds; the process tree is killed after it. Defaults to 60000. */
  timeoutMs?: number;
  /** Limit of each check in milliseconds. Defaults to 5000 (exercise.json's timeLimitMs via loadModule). */
  checkTimeoutMs?: number;
  /** The check files to run. Defaults to the exercise's public checks (`checkFilesOf`); grading adds `gradingFilesOf`. */
  files?: string[];
  /** Only load the check files and list their tests, running nothing. Defaults to false. */
  dryRun?: boolean;
  /** Stops the run (the process tree is killed). */
  signal?: AbortSignal;
  /** Called as checks finish. */
  progress?: Progress;
  /**
   * Use the check process started ahead of time when there is one, and start one for the next
   * check afterwards (warm.ts): for a student running one exercise's checks again and again.
   * Defaults to false.
   */
  warm?: boolean;
}

/** The outcome of one check. */
export interface CheckResult {
  /** The it() title (the key of exercise.json's `points`). */
  title: string;
  fullTitle: string;
  /** The check file the check is in (absolute path), when the runner listed it. */
  file?: string;
  status: 'passed' | 'failed' | 'timeout' | 'not-run';
  durationMs?: number;
  message?: string;
  /** Node wrote `message` (an assertion without the check author's words): only its first line says more than the values. */
  generatedMessage?: boolean;
  /** What the check expected and what it got, as text, when the assertion says so. */
  expected?: string;
  actual?: string;
  /** Where in the STUDENT's files the failure happened (or the function the check is about). */
  location?: SourceLocation;
  /** Where in the check file the failure was detected. */
  checkLocation?: SourceLocation;
}

/** The outcome of a whole run. */
export interface CheckRun {
  /** passed: every check passed; failed: some failed; timeout: killed for time; load-error: the checks could not load; aborted: stopped by the signal. */
  status: 'passed' | 'failed' | 'timeout' | 'load-error' | 'aborted';
  results: CheckResult[];
  passed: number;
  failed: number;
  /** Set for status load-error: why the check files did not load. */
  loadError?: { message: string; location?: SourceLocation; checkLocation?: SourceLocation };
  /** What the student's code (and the checks) printed, cut to 20 000 characters. */
  output: string;
  durationMs: number;
}

const OUTPUT_LIMIT = 20_000;
const KILL_GRACE_MS = 2000;
/** Least time given to load the check files (tsx compiles them and the library) and to before/after hooks (they start the student's process). */
const LOAD_LIMIT_MS = 15_000;

/** Check files of an exercise folder: checks/*.test.ts, sorted. */
export function checkFilesOf(exerciseDir: string): string[] {
  return testFilesIn(join(exerciseDir, 'checks'));
}

/** Grading checks of an exercise folder: grading/*.test.ts, sorted (run only when grading; never in a student edition). */
export function gradingFilesOf(exerciseDir: string): string[] {
  return testFilesIn(join(exerciseDir, 'grading'));
}

function testFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f));
}

function studentFiles(workDir: string): string[] {
  try {
    return readdirSync(workDir).filter((f) => /\.(ts|mts|cts|js|mjs)$/.test(f)).sort();
  } catch {
    return [];
  }
}

/**
 * The script the check process runs. From the TypeScript sources (tsx): checkChild.ts. From a
 * bundle (dist/extension.cjs, dist/cli.mjs, the installed .vsix): dist/checkChild.cjs, built
 * with it by esbuild.mjs with mocha inside, so no mocha is needed in node_modules.
 */
function checkChildScript(root: string): string {
  const bundled = join(root, 'dist', 'checkChild.cjs');
  if (!fileURLToPath(import.meta.url).endsWith('.ts') && existsSync(bundled)) return bundled;
  return join(root, 'curriculum', 'engine', 'checkChild.ts');
}

/** How a check process is started: the same for a cold one, a warm one and `warmUpChecks`. */
function checkSpawn(root: string): CheckSpawn {
  const tsxLoader = tsxLoaderUrl(root);
  const tsconfigJson = checkTsconfig() as { compilerOptions: { paths: Record<string, string[]> } };
  return { script: checkChildScript(root), tsxLoader, tsconfig: JSON.stringify(tsconfigJson, null, 2), preload: [...new Set(Object.values(tsconfigJson.compilerOptions.paths).flat())] };
}

/**
 * Starts the process for the next `runChecks({ warm: true })` now (node, tsx, mocha, the library
 * and a student process loaded), so even the first check of a session does not wait for them.
 * Call it when a student is about to check (an exercise or its lesson opened). Does nothing when
 * one is waiting already.
 */
export function warmUpChecks(): void {
  prepareWarmCheck(checkSpawn(projectRoot()));
}

/**
 * Runs an exercise's hidden mocha checks against the files in `workDir`, in a separate Node
 * process (node + tsx + mocha: TypeScript runs with no build step). Each check has a time limit,
 * and the whole process tree is killed when a check runs too long (an infinite loop in student
 * code cannot hang the caller). Student files import the library as `medigen-lab`; the runner
 * maps that name to `curriculum/runtime/lab.ts` (see workspace.ts).
 */
export async function runChecks(opts: RunChecksOptions): Promise<CheckRun> {
  const exerciseDir = resolve(opts.exerciseDir);
  const workDir = resolve(opts.workDir);
  const files = opts.files ?? checkFilesOf(exerciseDir);
  if (!files.length) throw new MedigenError(`The exercise ${exerciseDir} has no checks (checks/*.test.ts).`, 'Add at least one mocha test file named like checks/main.test.ts.');
  if (!existsSync(workDir)) throw new MedigenError(`The folder ${workDir} does not exist.`, 'Give the folder that holds the exercise files (the student workspace, starter/ or solution/).');
  const checkTimeoutMs = opts.checkTimeoutMs ?? DEFAULT_CHECK_TIME_LIMIT_MS;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  const loadLimitMs = Math.max(LOAD_LIMIT_MS, checkTimeoutMs);
  const hookTimeoutMs = loadLimitMs + 5000;
  const config: ChildConfig = { files, timeoutMs: checkTimeoutMs, hookTimeoutMs, dryRun: opts.dryRun ?? false };
  const how = checkSpawn(projectRoot());

  const adopted = opts.warm ? takeWarmCheck(how, { config, workDir }) : undefined;
  const tmp = adopted?.tmp ?? mkdtempSync(join(tmpdir(), 'medigen-checks-'));
  const tsconfig = join(tmp, 'tsconfig.json');
  if (!adopted) writeFileSync(tsconfig, how.tsconfig);
  const child =
    adopted?.child ??
    spawn(process.execPath, ['--import', how.tsxLoader, how.script], {
      cwd: workDir,
      detached: true, // its own process group (Linux, macOS), so the student's process goes with it
      windowsHide: true, // no console window of its own on Windows
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', MEDIGEN_EXERCISE_DIR: workDir, TSX_TSCONFIG_PATH: tsconfig, MEDIGEN_CHECK_CONFIG: JSON.stringify(config), NODE_OPTIONS: '' },
    });

  let output = '';
  const collect = (d: Buffer) => {
    if (output.length < OUTPUT_LIMIT) output += d.toString('utf8').slice(0, OUTPUT_LIMIT - output.length);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const events: ChildEvent[] = [];
  let running: { fullTitle: string; kind: 'test' | 'hook' | 'load'; since: number } | undefined;
  let badLine: string | undefined;
  let planned = 0;
  let finished = 0;
  let pending = '';
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.trim()) continue;
      const e = parseEvent(line);
      if (!e) {
        badLine ??= line;
        kill('protocol');
        continue;
      }
      events.push(e);
      if (e.event === 'loading') running = { fullTitle: '', kind: 'load', since: Date.now() };
      if (e.event === 'plan') {
        planned = e.tests.length;
        running = undefined;
      }
      if (e.event === 'begin') running = { fullTitle: e.fullTitle, kind: e.kind, since: Date.now() };
      if (e.event === 'pass' || e.event === 'fail') {
        running = undefined;
        finished += e.event === 'fail' && e.kind === 'hook' ? e.affected.length : 1;
        opts.progress?.report(Math.min(finished, planned), planned, e.title);
      }
    }
  });

  let killedFor: 'timeout' | 'aborted' | 'protocol' | undefined;
  let hung: { fullTitle: string; kind: 'test' | 'hook' | 'load' } | undefined;
  const killGroup = () => killProcessTree(child.pid);
  const kill = (why: 'timeout' | 'aborted' | 'protocol') => {
    if (killedFor) return;
    killedFor = why;
    hung = running;
    killGroup();
  };
  const limitOf = (kind: 'test' | 'hook' | 'load') => (kind === 'test' ? checkTimeoutMs : kind === 'hook' ? hookTimeoutMs : loadLimitMs);
  const watchdog = setInterval(() => {
    const now = Date.now();
    if (now - started > timeoutMs) kill('timeout');
    else if (running && now - running.since > limitOf(running.kind) + KILL_GRACE_MS) kill('timeout');
  }, 100);
  // When this process exits (the CLI or the editor closing), the check and student processes go too.
  process.on('exit', killGroup);
  const onAbort = () => kill('aborted');
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) kill('aborted');

  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearInterval(watchdog);
  process.off('exit', killGroup);
  killGroup(); // a student process that outlived its check process (it ends itself too; this is sooner)
  opts.signal?.removeEventListener('abort', onAbort);
  rmSync(tmp, { recursive: true, force: true });
  // The next check of this student starts in a process that is ready (unless this one was stopped).
  if (opts.warm && killedFor !== 'aborted') prepareWarmCheck(how);

  return summarize({ events, code, killedFor, hung, badLine, workDir, exerciseDir, output, checkTimeoutMs, loadLimitMs, timeoutMs, durationMs: Date.now() - started });
}

/** One line of the result channel, or undefined when it is not one of the runner's events. */
function parseEvent(line: string): ChildEvent | undefined {
  try {
    const e = JSON.parse(line) as ChildEvent;
    return e && typeof e === 'object' && typeof e.event === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

interface RawRun {
  events: ChildEvent[];
  code: number | null;
  killedFor?: 'timeout' | 'aborted' | 'protocol';
  hung?: { fullTitle: string; kind: 'test' | 'hook' | 'load' };
  badLine?: string;
  workDir: string;
  exerciseDir: string;
  output: string;
  checkTimeoutMs: number;
  loadLimitMs: number;
  timeoutMs: number;
  durationMs: number;
}

function failureDetails(err: SerializedError, title: string, r: RawRun): Pick<CheckResult, 'message' | 'generatedMessage' | 'expected' | 'actual' | 'location' | 'checkLocation'> {
  const text = `${err.message}\n${err.stack}`;
  const location = firstLocationIn(text, r.workDir) ?? declarationNamedIn(title, r.workDir, studentFiles(r.workDir));
  const checkLocation = firstLocationIn(err.stack, join(r.exerciseDir, 'checks')) ?? firstLocationIn(err.stack, join(r.exerciseDir, 'grading'));
  const syntax = err.message.match(/^Transform failed with \d+ errors?:\n(?:.*?):(\d+):(\d+): ERROR: (.*)/s);
  const message = syntax && location ? `TypeScript could not read ${relative(r.workDir, location.file)}: ${syntax[3]!.split('\n')[0]} (line ${syntax[1]}, column ${syntax[2]}). Fix the syntax there first; no check can run until the file loads.` : err.message;
  return {
    message,
    ...(err.generated ? { generatedMessage: true } : {}),
    ...(err.hasExpected ? { expected: err.expected, actual: err.actual } : {}),
    ...(location ? { location } : {}),
    ...(checkLocation ? { checkLocation } : {}),
  };
}

function summarize(r: RawRun): CheckRun {
  const base = { output: r.output, durationMs: r.durationMs };
  const loadFailed = (message: string) => ({ ...base, status: 'load-error' as const, results: [], passed: 0, failed: 0, loadError: { message } });
  if (r.killedFor === 'protocol') {
    const shown = r.badLine!.length > 200 ? `${r.badLine!.slice(0, 200)}…` : r.badLine!;
    return loadFailed(`The check process wrote a line that is not a check result on the result channel (file descriptor 3): ${JSON.stringify(shown)}. Nothing the checks said can be trusted after it, so the run was stopped. Check files must not write to file descriptor 3; print with console.log instead.`);
  }
  if (r.killedFor === 'timeout' && r.hung?.kind === 'load') {
    return loadFailed(`The check files did not finish loading within ${Math.round(r.loadLimitMs / 100) / 10} s, so they were stopped. Look for a loop at the top level of a check file (outside it() and before()) that never ends.`);
  }
  const loadErr = r.events.find((e): e is Extract<ChildEvent, { event: 'load-error' }> => e.event === 'load-error');
  if (loadErr) {
    const d = failureDetails(loadErr.error, '', r);
    return { ...base, status: 'load-error', results: [], passed: 0, failed: 0, loadError: { message: loadErr.error.message, ...(d.location ? { location: d.location } : {}), ...(d.checkLocation ? { checkLocation: d.checkLocation } : {}) } };
  }
  const plan = r.events.find((e): e is Extract<ChildEvent, { event: 'plan' }> => e.event === 'plan');
  if (!plan && !r.killedFor) {
    const tail = r.output.trim().split('\n').slice(-15).join('\n');
    const location = firstLocationIn(r.output, r.workDir);
    return { ...base, status: 'load-error', results: [], passed: 0, failed: 0, loadError: { message: `The check process stopped before running any check (exit code ${r.code}).${tail ? `\n${tail}` : ''}`, ...(location ? { location } : {}) } };
  }
  const results = new Map<string, CheckResult>();
  for (const t of plan?.tests ?? []) results.set(t.fullTitle, { title: t.title, fullTitle: t.fullTitle, status: 'not-run' });
  for (const e of r.events) {
    if (e.event === 'pass') results.set(e.fullTitle, { title: e.title, fullTitle: e.fullTitle, status: 'passed', durationMs: e.durationMs });
    if (e.event === 'fail' && e.kind === 'test') {
      const studentTimedOut = e.error.name === STUDENT_TIMEOUT;
      const timedOut = studentTimedOut || /^Timeout of \d+ms exceeded/.test(e.error.message);
      const d = failureDetails(e.error, e.title, r);
      if (timedOut && !studentTimedOut) d.message = `The check did not finish within ${r.checkTimeoutMs / 1000} s. Look for a loop that never ends or a promise that is never resolved.`;
      results.set(e.fullTitle, { title: e.title, fullTitle: e.fullTitle, status: timedOut ? 'timeout' : 'failed', ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}), ...d });
    }
    if (e.event === 'fail' && e.kind === 'hook') {
      // A failing before-hook (typically: the student's file does not load) fails every check under it.
      for (const t of e.affected) {
        const prev = results.get(t);
        if (prev && prev.status !== 'not-run') continue;
        const d = failureDetails(e.error, prev?.title ?? t, r);
        results.set(t, { title: prev?.title ?? t, fullTitle: t, status: e.error.name === STUDENT_TIMEOUT ? 'timeout' : 'failed', ...d, message: `${d.message}` });
      }
    }
  }
  if (r.killedFor === 'timeout') {
    const limit = r.hung ? r.checkTimeoutMs : r.timeoutMs;
    const msg = `Stopped after ${Math.round(limit / 100) / 10} s: the code never finished. Look for a loop that never ends (a while loop whose condition stays true, or a for loop that never reaches its end).`;
    const victims = r.hung?.kind === 'hook' ? [...results.values()].filter((x) => x.status === 'not-run').map((x) => x.fullTitle) : r.hung ? [r.hung.fullTitle] : [];
    for (const t of victims) {
      const prev = results.get(t);
      const location = declarationNamedIn(prev?.title ?? t, r.workDir, studentFiles(r.workDir));
      results.set(t, { title: prev?.title ?? t, fullTitle: t, status: 'timeout', message: msg, ...(location ? { location } : {}) });
    }
  }
  const fileOf = new Map((plan?.tests ?? []).map((t) => [t.fullTitle, t.file]));
  const list = [...results.values()].map((x) => {
    const file = fileOf.get(x.fullTitle);
    return file ? { ...x, file } : x;
  });
  const passed = list.filter((x) => x.status === 'passed').length;
  const failed = list.length - passed;
  const status: CheckRun['status'] = r.killedFor === 'aborted' ? 'aborted' : r.killedFor === 'timeout' ? 'timeout' : failed || !list.length ? 'failed' : 'passed';
  return { ...base, status, results: list, passed, failed };
}
