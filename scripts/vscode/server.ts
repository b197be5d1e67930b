/**
 * Starts a private code-server (a real VS Code server + Node extension host) on a free localhost
 * port, with throwaway user-data, extensions and config folders (or a kept profile: profile.ts),
 * and stops it with all its children, whichever way this process ends (see {@link watchParent}).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { VscodeRuntime } from './runtime';

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  /** Folder the workbench opens. Defaults to an empty throwaway folder. */
  folder?: string;
  /** Port to listen on (127.0.0.1 only). Defaults to 0: a free port the system picks. */
  port?: number;
  /** Extra environment for code-server; the extension host inherits it. Defaults to none. */
  env?: Record<string, string>;
  /** How long to wait for code-server to listen, in ms. Defaults to 120000 (slow, busy machines). */
  startTimeoutMs?: number;
  /** Keep the throwaway folders after stop() (for debugging). Defaults to false. */
  keepState?: boolean;
  /**
   * Open the folder in Restricted Mode, as VS Code does for a folder the user has not trusted:
   * workspace trust on, no trust prompt, nothing trusted (a fresh browser profile keeps no trusted
   * folders). Defaults to false: trust off, so every folder is trusted.
   */
  untrusted?: boolean;
  /**
   * .vsix files to install into the throwaway extensions folder (`code-server --install-extension`)
   * before VS Code starts, as a user installs MediGen Lab. Defaults to none.
   */
  installExtensions?: string[];
  /**
   * Folders kept between starts (the classroom of `npm start`, profile.ts): user data and
   * extensions live there and survive stop(); settings already there are kept (the defaults
   * below fill in only what is missing). Defaults to throwaway folders.
   */
  profile?: { userDataDir: string; extensionsDir: string; xdgDir: string };
  /** More user settings on top of the quiet defaults (the test harness turns MediGen Lab's first-start pages off). Defaults to none. */
  settings?: Record<string, unknown>;
}

/** A running code-server. */
export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41723 (no trailing slash). */
  url: string;
  /** Folder the workbench opens. */
  folder: string;
  /** Throwaway folder for user data, extensions, config and the log. */
  stateDir: string;
  /** The last `lines` lines code-server printed. */
  logTail(lines?: number): string;
  /** Stops code-server and every process it started; removes the throwaway folders. */
  stop(): Promise<void>;
  /** Settles when code-server exits, by stop() or on its own (a crash): its exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
}

// Quiet, offline, no first-run pages: what a test run needs.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
};

// Restricted Mode: trust on, but never asked (the folder stays untrusted), and an empty window is
// not trusted either.
const UNTRUSTED_SETTINGS = {
  ...USER_SETTINGS,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.banner': 'always',
};

/**
 * A small watcher process of its own (it survives this process being killed with SIGKILL, which
 * runs no handler): twice a second it looks whether this process still exists; once it does not,
 * it kills code-server's process group and removes the throwaway folder. It ends by itself once
 * code-server's group is gone.
 */
function watchParent(groupPid: number, tempDir: string | undefined): void {
  const code = `
    const { rmSync } = require('node:fs');
    const [ppid, pgid, tmp] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
    const exists = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      const parent = exists(ppid);
      if (parent && exists(-pgid)) return;
      if (!parent) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      process.exit(0);
    }, 500);`;
  const watcher = spawn(process.execPath, ['-e', code, String(process.pid), String(groupPid), tempDir ?? ''], { detached: true, stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '' } });
  watcher.unref();
}

/** Our quiet defaults in `file`, without replacing a setting already there (a kept profile). */
function writeSettings(file: string, defaults: Record<string, unknown>): void {
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return; // VS Code writes JSON with comments: a file we cannot read is left as it is
    }
  }
  const merged = { ...defaults, ...current };
  if (existsSync(file) && Object.keys(merged).length === Object.keys(current).length) return;
  writeFileSync(file, JSON.stringify(merged, null, 2));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // code-server and everything it started (its own process group), even after the leader exited
    process.kill(-child.pid, signal);
  } catch {
    // the whole group is gone already
  }
}

/** Installs `vsix` into the extensions folder of `dirs` with code-server's own installer. */
function installExtension(runtime: VscodeRuntime, stateDir: string, dirs: NonNullable<CodeServerOptions['profile']>, vsix: string): void {
  const r = spawnSync(
    runtime.codeServer,
    ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix],
    { encoding: 'utf8', env: { EXTENSIONS_GALLERY: '{}', ...process.env, XDG_CONFIG_HOME: dirs.xdgDir, XDG_DATA_HOME: dirs.xdgDir, XDG_CACHE_HOME: dirs.xdgDir }, timeout: 300_000 },
  );
  if (r.status !== 0) {
    rmSync(stateDir, { recursive: true, force: true });
    throw new MedigenError(
      `VS Code (code-server) could not install ${vsix} (exit code ${r.status ?? r.signal}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')}`,
      'Check that the file is a MediGen Lab .vsix made by "npm run package" for this platform, then try again.',
    );
  }
}

/**
 * Starts code-server and resolves once it listens. If `signal` aborts while it starts, it is
 * stopped again; once started, the caller stops it with `stop()`.
 */
export async function startCodeServer(runtime: VscodeRuntime, options: CodeServerOptions = {}, signal?: AbortSignal): Promise<CodeServer> {
  const stateDir = mkdtempSync(join(tmpdir(), 'medigen-vscode-'));
  const folder = options.folder ?? join(stateDir, 'workspace');
  const dirs = options.profile ?? { userDataDir: join(stateDir, 'user-data'), extensionsDir: join(stateDir, 'extensions'), xdgDir: join(stateDir, 'xdg') };
  for (const d of [join(dirs.userDataDir, 'User'), dirs.extensionsDir, dirs.xdgDir, join(stateDir, 'workspace')]) mkdirSync(d, { recursive: true });
  writeSettings(join(dirs.userDataDir, 'User', 'settings.json'), { ...(options.untrusted ? UNTRUSTED_SETTINGS : USER_SETTINGS), ...options.settings });
  for (const vsix of options.installExtensions ?? []) installExtension(runtime, stateDir, dirs, vsix);
  const config = join(stateDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${options.port ?? 0}\nauth: none\ncert: false\n`);
  const logFile = join(stateDir, 'code-server.log');
  let log = '';

  const child = spawn(
    runtime.codeServer,
    [
      '--config', config,
      '--user-data-dir', dirs.userDataDir,
      '--extensions-dir', dirs.extensionsDir,
      '--disable-telemetry', '--disable-update-check',
      ...(options.untrusted ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override', '--ignore-last-opened',
      folder,
    ],
    {
      detached: true, // own process group, so stop() reaches the extension host too
      stdio: ['ignore', 'pipe', 'pipe'],
      // EXTENSIONS_GALLERY {}: no marketplace, so no network traffic. XDG_*: nothing written into the
      // user's home folder.
      env: { EXTENSIONS_GALLERY: '{}', ...process.env, XDG_CONFIG_HOME: dirs.xdgDir, XDG_DATA_HOME: dirs.xdgDir, XDG_CACHE_HOME: dirs.xdgDir, ...options.env },
    },
  );
  const exited = new Promise<number | NodeJS.Signals | null>((r) => child.once('exit', (code, sig) => r(code ?? sig)));
  if (child.pid !== undefined && process.platform !== 'win32') watchParent(child.pid, options.keepState ? undefined : stateDir);
  const onData = (d: Buffer) => {
    log += d.toString();
    if (log.length > 1_000_000) log = log.slice(-500_000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const killNow = () => killGroup(child, 'SIGKILL');
  process.on('exit', killNow); // never leave a server behind, whatever ends this process

  const doStop = async () => {
    signal?.removeEventListener('abort', onAbort);
    const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL'); // children that outlived the leader
    process.off('exit', killNow);
    if (options.keepState) writeFileSync(logFile, log);
    else rmSync(stateDir, { recursive: true, force: true });
  };
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= doStop());
  const onAbort = () => void stop();
  signal?.addEventListener('abort', onAbort, { once: true });

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`did not start listening within ${timeoutMs / 1000} s`)), timeoutMs);
    const check = () => {
      const m = /HTTP server listening on https?:\/\/[^:\s]+:(\d+)/.exec(log);
      if (m) done(undefined, Number(m[1]));
    };
    const onExit = (code: number | null) => done(new Error(`exited (code ${code}) before listening`));
    function done(err?: Error, p?: number) {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(p!);
    }
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  }).catch(async (err: Error) => {
    const tail = log.trimEnd().split('\n').slice(-20).join('\n');
    await stop();
    if (signal?.aborted) throw new MedigenError('VS Code was stopped before it finished starting.', 'Run the command again when you want VS Code.');
    throw new MedigenError(
      `VS Code (code-server) ${err.message}. Its last messages:\n${tail}`,
      'If it says a port is in use, pick another one; otherwise reinstall the runtime with "bash scripts/vscode/setup.sh".',
    );
  });

  signal?.removeEventListener('abort', onAbort);
  return {
    url: `http://127.0.0.1:${port}`,
    folder,
    stateDir,
    logTail: (lines = 30) => log.trimEnd().split('\n').slice(-lines).join('\n'),
    stop,
    exited,
  };
}
