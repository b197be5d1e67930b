/**
 * The Python environment training runs in: a virtual environment MediGen Lab creates next to the
 * runs, with the pinned requirements installed (progress shown, offline said plainly).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import { projectRoot } from '../../core/index';
import type { Progress } from '../../core/index';

export function requirementsFile(): string {
  return join(projectRoot(), 'models', 'train', 'requirements.txt');
}

/** The interpreter inside a virtual environment folder. */
export function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

interface Ran {
  code: number;
  output: string;
}

function run(cmd: string, args: string[], onLine?: (line: string) => void, signal?: AbortSignal, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, env: env ?? process.env });
    let output = '';
    const take = (d: Buffer) => {
      const text = d.toString();
      output += text;
      if (onLine) for (const l of text.split('\n')) if (l.trim()) onLine(l.trim());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => resolve({ code: -1, output: `${output}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const OFFLINE = /(Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|Could not fetch URL|No matching distribution found|ProxyError|ConnectTimeout)/;

export interface SetupOptions {
  /** The Python used to create the environment. Defaults to `python3`. */
  python?: string;
  venv: string;
  progress?: Progress;
  signal?: AbortSignal;
  /** Extra pip arguments, e.g. ['--index-url', URL] for a mirror. */
  pipArgs?: string[];
  /** Environment of pip (e.g. PIP_CONFIG_FILE). Defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates the virtual environment (if missing) and installs the pinned requirements. Throws a
 * MedigenError that says what to do when Python is missing, venv is unavailable, or pip cannot
 * reach the package index (offline).
 */
export async function setupTrainingEnvironment(o: SetupOptions): Promise<{ python: string }> {
  const python = o.python ?? 'python3';
  const py = venvPython(o.venv);
  if (!existsSync(py)) {
    o.progress?.report(0, 2, 'creating the virtual environment');
    const r = await run(python, ['-m', 'venv', o.venv], undefined, o.signal);
    if (r.code === -1) throw new MedigenError(`Python was not found (${python}).`, 'Install Python 3.10 or newer (python.org, or `sudo apt install python3 python3-venv`), then run the setup again.');
    if (r.code !== 0) throw new MedigenError(`Could not create a virtual environment in ${o.venv}:\n${r.output.trim().split('\n').slice(-3).join('\n')}`, 'On Debian/Ubuntu install the venv module (`sudo apt install python3-venv`), then run the setup again.');
  }
  o.progress?.report(1, 2, 'installing torch, transformers, peft, bitsandbytes (several GB)');
  let collected = 0;
  const r = await run(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '1', '--timeout', '15', '-r', requirementsFile(), ...(o.pipArgs ?? [])], (line) => {
    const m = /^(Collecting|Downloading|Installing collected packages:?)\s*(\S+)?/.exec(line);
    if (m) o.progress?.report(1, 2, `${m[1]!.toLowerCase()} ${m[2] ?? ''}`.trim() + ` (${++collected})`);
  }, o.signal, o.env);
  if (r.code !== 0) {
    if (OFFLINE.test(r.output)) {
      throw new MedigenError('The training packages could not be downloaded: this machine cannot reach the Python package index (offline?).', 'Connect to the internet and run the setup again, or install the packages in models/train/requirements.txt from a local mirror (`--index-url`).');
    }
    throw new MedigenError(`Installing the training packages failed:\n${r.output.trim().split('\n').slice(-5).join('\n')}`, 'Read the lines above for the package that failed; the full list is in models/train/requirements.txt.');
  }
  o.progress?.report(2, 2, 'done');
  return { python: py };
}
