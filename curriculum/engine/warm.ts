/**
 * A check process started ahead of time, so "Run Check" does not wait for Node, tsx, mocha and
 * the library to load (most of a check's round trip). At most one waits at a time; it runs ONE
 * check (`runChecks` with `warm: true` adopts it and sends its configuration on stdin) and is then
 * replaced, so no state carries from one check to the next. Nothing keeps the parent alive for it
 * (unref'd), it goes with the parent (the child's orphan guard, and a kill on exit), and it ends by
 * itself after WARM_IDLE_MS unused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcessTree } from '../../core/index';
import type { WarmStart } from './checkChild';

/** An unused process ends after this long. */
export const WARM_IDLE_MS = 10 * 60_000;

/** How a check process is started (the same for a cold and a warm one). */
export interface CheckSpawn {
  script: string;
  tsxLoader: string;
  /** The check tsconfig's text (written into the process's own temporary folder). */
  tsconfig: string;
  /** Library files the warm process loads while it waits (what `medigen-lab` maps to). */
  preload: string[];
}

interface Warm {
  child: ChildProcess;
  tmp: string;
  key: string;
  timer: NodeJS.Timeout;
}

let waiting: Warm | undefined;

const keyOf = (s: CheckSpawn) => JSON.stringify(s);

const killGroup = (child: ChildProcess) => killProcessTree(child.pid); // the group; taskkill /T on Windows

function discard(w: Warm): void {
  clearTimeout(w.timer);
  killGroup(w.child);
  rmSync(w.tmp, { recursive: true, force: true });
}

const onExit = () => {
  if (waiting) discard(waiting);
  waiting = undefined;
};
let exitHooked = false;

/** Starts a process for the next check (replacing one that waits with other settings). */
export function prepareWarmCheck(s: CheckSpawn): void {
  const key = keyOf(s);
  if (waiting?.key === key && waiting.child.exitCode === null) return;
  if (waiting) discard(waiting);
  const tmp = mkdtempSync(join(tmpdir(), 'medigen-checks-'));
  const tsconfig = join(tmp, 'tsconfig.json');
  writeFileSync(tsconfig, s.tsconfig);
  const child = spawn(process.execPath, ['--import', s.tsxLoader, s.script], {
    cwd: tmp,
    detached: true,
    windowsHide: true, // no console window of its own on Windows
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TSX_TSCONFIG_PATH: tsconfig, MEDIGEN_CHECK_WARM: '1', MEDIGEN_CHECK_PRELOAD: JSON.stringify(s.preload), NODE_OPTIONS: '' },
  });
  const w: Warm = { child, tmp, key, timer: setTimeout(() => waiting === w && (discard(w), (waiting = undefined)), WARM_IDLE_MS) };
  w.timer.unref();
  child.unref();
  for (const st of child.stdio) (st as { unref?: () => void } | null)?.unref?.();
  child.on('error', () => undefined);
  child.once('exit', () => {
    if (waiting === w) {
      clearTimeout(w.timer);
      rmSync(w.tmp, { recursive: true, force: true });
      waiting = undefined;
    }
  });
  if (!exitHooked) process.on('exit', onExit);
  exitHooked = true;
  waiting = w;
}

/**
 * The waiting process, if it was started with these settings and is still alive, handed over with
 * its temporary folder (the caller removes it): it starts `start` now.
 */
export function takeWarmCheck(s: CheckSpawn, start: WarmStart): { child: ChildProcess; tmp: string } | undefined {
  const w = waiting;
  if (!w || w.key !== keyOf(s) || w.child.exitCode !== null || w.child.signalCode !== null) return undefined;
  waiting = undefined;
  clearTimeout(w.timer);
  w.child.ref();
  for (const st of w.child.stdio) (st as { ref?: () => void } | null)?.ref?.();
  w.child.stdin!.end(`${JSON.stringify(start)}\n`);
  return { child: w.child, tmp: w.tmp };
}

/** The process id of the check process waiting now, if any. */
export function warmCheckPid(): number | undefined {
  return waiting?.child.pid;
}

/** Ends a waiting process now (e.g. when the extension deactivates). */
export function disposeWarmCheck(): void {
  onExit();
}
