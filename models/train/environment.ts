/**
 * The Python environment training runs in: a virtual environment MediGen Lab creates next to the
 * runs, with the pinned requirements installed (progress shown, offline said plainly), or an
 * existing environment chosen once by configuration. bitsandbytes (4-bit QLoRA) is installed only
 * where a CUDA GPU is present. A virtual environment counts as ready (and becomes the default) only
 * once everything installed: a half-built one is never picked.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MedigenError, projectRoot, type Progress } from '../../core/index';
import { queryNvidiaSmi } from './gpus';

export function requirementsFile(): string {
  return join(projectRoot(), 'models', 'train', 'requirements.txt');
}

/** bitsandbytes, installed only where a CUDA GPU is present. */
export function cudaRequirementsFile(): string {
  return join(projectRoot(), 'models', 'train', 'requirements-cuda.txt');
}

/** Marker written into a virtual environment once every package installed. */
export const READY_MARKER = '.medigen-ready';

/** The interpreter of a virtual environment that finished installing, else undefined. */
export function readyVenvPython(venv: string): string | undefined {
  const py = venvPython(venv);
  return existsSync(py) && existsSync(join(venv, READY_MARKER)) ? py : undefined;
}

/** The file that records an existing environment chosen with `medigen train setup --use` (in `.medigen/`). */
export function chosenPythonFile(base = process.cwd()): string {
  return join(resolve(base), '.medigen', 'train-python');
}

/** The interpreter chosen once by configuration, if any. */
export function chosenPython(base = process.cwd()): string | undefined {
  const f = chosenPythonFile(base);
  if (!existsSync(f)) return undefined;
  const py = readFileSync(f, 'utf8').trim();
  return py || undefined;
}

/** Records an existing interpreter as the training environment for this folder. */
export function chooseExistingPython(python: string, base = process.cwd()): string {
  const f = chosenPythonFile(base);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, python + '\n');
  return f;
}

/**
 * The interpreter training uses: an explicit one, else the one chosen with `train setup --use`, else
 * the default virtual environment when it finished installing, else python3.
 */
export function pickTrainingPython(explicit: string | undefined, defaultVenv: string, base = process.cwd()): string {
  return explicit ?? chosenPython(base) ?? readyVenvPython(resolve(base, defaultVenv)) ?? 'python3';
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

const OFFLINE = /(Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|Could not fetch URL|ProxyError|ConnectTimeout)/;
const NO_DISTRIBUTION = /No matching distribution found for (\S+)/;

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
  /** Install bitsandbytes (4-bit QLoRA) too. Defaults to whether nvidia-smi sees a GPU here. */
  cuda?: boolean;
}

/** What the setup installed. */
export interface SetupResult {
  python: string;
  /** bitsandbytes installed (4-bit QLoRA available). */
  fourBit: boolean;
  /** Why 4-bit QLoRA is not available, when it is not. */
  fourBitNote?: string;
}

function pipFailure(r: Ran, what: string): MedigenError {
  const missing = NO_DISTRIBUTION.exec(r.output)?.[1];
  if (OFFLINE.test(r.output)) {
    return new MedigenError(`${what} could not be downloaded: this machine cannot reach the Python package index (offline?).`, 'Connect to the internet and run the setup again, or install the packages in models/train/requirements.txt from a local mirror (`--index-url`).');
  }
  if (missing && /\(from versions: none\)/.test(r.output)) {
    // pip found no version at all: the index was unreachable, or it has no build for this machine.
    return new MedigenError(`Installing ${what} failed: the package index offered no version of ${missing}. Either this machine cannot reach the Python package index (offline?), or the index has no build of ${missing} for this Python version or platform.`, 'Check the connection, or point --index-url at a mirror that has it; Python 3.10-3.12 (`--python python3.11`) has builds of every package in models/train/requirements.txt.');
  }
  if (missing) {
    return new MedigenError(`Installing ${what} failed: the package index has no version of ${missing} for this machine (this Python version or platform).`, 'Use Python 3.10-3.12 (`--python python3.11`), or point --index-url at a mirror that has it; the list is in models/train/requirements.txt.');
  }
  return new MedigenError(`Installing ${what} failed:\n${r.output.trim().split('\n').slice(-5).join('\n')}`, 'Read the lines above for the package that failed; the full list is in models/train/requirements.txt.');
}

/**
 * Creates the virtual environment (if missing) and installs the pinned requirements (bitsandbytes
 * only with `cuda`). Throws a MedigenError that says what to do when Python is missing, venv is
 * unavailable, pip cannot reach the package index (offline), or the index has no build of a package.
 * The environment is marked ready only when everything installed.
 */
export async function setupTrainingEnvironment(o: SetupOptions): Promise<SetupResult> {
  const python = o.python ?? 'python3';
  const py = venvPython(o.venv);
  if (!existsSync(py)) {
    o.progress?.report(0, 2, 'creating the virtual environment');
    const r = await run(python, ['-m', 'venv', o.venv], undefined, o.signal);
    if (r.code === -1) throw new MedigenError(`Python was not found (${python}).`, 'Install Python 3.10 or newer (python.org, or `sudo apt install python3 python3-venv`), then run the setup again.');
    if (r.code !== 0) throw new MedigenError(`Could not create a virtual environment in ${o.venv}:\n${r.output.trim().split('\n').slice(-3).join('\n')}`, 'On Debian/Ubuntu install the venv module (`sudo apt install python3-venv`), then run the setup again.');
  }
  o.progress?.report(1, 2, 'installing torch, transformers, peft, accelerate (several GB)');
  let collected = 0;
  const pip = (file: string) =>
    run(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '1', '--timeout', '15', '-r', file, ...(o.pipArgs ?? [])], (line) => {
      const m = /^(Collecting|Downloading|Installing collected packages:?)\s*(\S+)?/.exec(line);
      if (m) o.progress?.report(1, 2, `${m[1]!.toLowerCase()} ${m[2] ?? ''}`.trim() + ` (${++collected})`);
    }, o.signal, o.env);
  const r = await pip(requirementsFile());
  if (r.code !== 0) throw pipFailure(r, 'The training packages');
  let fourBit = false;
  let fourBitNote: string | undefined = 'No CUDA GPU here, so bitsandbytes (4-bit QLoRA) was not installed; training runs plain LoRA ("device": "cpu" for tiny models) or on a GPU machine.';
  const cuda = o.cuda ?? (await queryNvidiaSmi().then((r) => 'gpus' in r && r.gpus.length > 0));
  if (cuda) {
    const b = await pip(cudaRequirementsFile());
    fourBit = b.code === 0;
    fourBitNote = fourBit ? undefined : `bitsandbytes (4-bit QLoRA) could not be installed, so runs will train plain LoRA: ${pipFailure(b, 'bitsandbytes').message}`;
  }
  writeFileSync(join(o.venv, READY_MARKER), new Date().toISOString() + '\n');
  o.progress?.report(2, 2, 'done');
  return { python: py, fourBit, ...(fourBitNote ? { fourBitNote } : {}) };
}
