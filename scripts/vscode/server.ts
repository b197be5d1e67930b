/**
 * Starts a private code-server (a real VS Code server + Node extension host) on a free localhost
 * port, with throwaway user-data, extensions and config folders, and stops it with all its children.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // code-server and everything it started (its own process group), even after the leader exited
    process.kill(-child.pid, signal);
  } catch {
    // the whole group is gone already
  }
}

/** Installs `vsix` into the extensions folder of `stateDir` with code-server's own installer. */
function installExtension(runtime: VscodeRuntime, stateDir: string, vsix: string): void {
  const r = spawnSync(
    runtime.codeServer,
    ['--user-data-dir', join(stateDir, 'user-data'), '--extensions-dir', join(stateDir, 'extensions'), '--install-extension', vsix],
    { encoding: 'utf8', env: { EXTENSIONS_GALLERY: '{}', ...process.env, XDG_CONFIG_HOME: join(stateDir, 'xdg'), XDG_DATA_HOME: join(stateDir, 'xdg'), XDG_CACHE_HOME: join(stateDir, 'xdg') }, timeout: 300_000 },
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
  for (const d of ['user-data/User', 'extensions', 'xdg', 'workspace']) mkdirSync(join(stateDir, d), { recursive: true });
  writeFileSync(join(stateDir, 'user-data', 'User', 'settings.json'), JSON.stringify(options.untrusted ? UNTRUSTED_SETTINGS : USER_SETTINGS, null, 2));
  for (const vsix of options.installExtensions ?? []) installExtension(runtime, stateDir, vsix);
  const config = join(stateDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${options.port ?? 0}\nauth: none\ncert: false\n`);
  const logFile = join(stateDir, 'code-server.log');
  let log = '';

  const child = spawn(
    runtime.codeServer,
    [
      '--config', config,
      '--user-data-dir', join(stateDir, 'user-data'),
      '--extensions-dir', join(stateDir, 'extensions'),
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
      env: { EXTENSIONS_GALLERY: '{}', ...process.env, XDG_CONFIG_HOME: join(stateDir, 'xdg'), XDG_DATA_HOME: join(stateDir, 'xdg'), XDG_CACHE_HOME: join(stateDir, 'xdg'), ...options.env },
    },
  );
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
  };
}
