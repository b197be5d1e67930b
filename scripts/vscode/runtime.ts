/**
 * Where the VS Code runtime for integration tests lives (installed by scripts/vscode/setup.sh):
 * code-server in `.vscode-test/code-server/`, Debian's Chromium, playwright-core from the project.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import { projectRoot } from '../../core/index';

/** The code-server version setup.sh installs (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';

/** A located, installed VS Code runtime. */
export interface VscodeRuntime {
  /** The npm prefix folder code-server is installed in. */
  dir: string;
  /** code-server's launcher script. */
  codeServer: string;
  /** The VS Code version inside code-server, e.g. "1.100.3". */
  vscodeVersion: string;
  /** The Chromium executable that shows the workbench. */
  chromium: string;
}

/** Options for {@link findRuntime}. */
export interface FindRuntimeOptions {
  /** code-server's npm prefix. Defaults to env MEDIGEN_VSCODE_RUNTIME, else `<repo>/.vscode-test/code-server`. */
  dir?: string;
  /** The Chromium executable. Defaults to env MEDIGEN_CHROMIUM, else /usr/bin/chromium. */
  chromium?: string;
}

const SETUP_HINT =
  'Run "npm run setup" (it installs the VS Code test runtime through scripts/vscode/setup.sh; ' +
  'or run "bash scripts/vscode/setup.sh" directly), then try again.';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the installed runtime, or throws a `MedigenError` that says how to install it.
 */
export function findRuntime(options: FindRuntimeOptions = {}): VscodeRuntime {
  const dir = options.dir ?? process.env.MEDIGEN_VSCODE_RUNTIME ?? join(projectRoot(), '.vscode-test', 'code-server');
  const codeServer = join(dir, 'node_modules', '.bin', 'code-server');
  const marker = join(dir, '.installed');
  if (!existsSync(codeServer) || !existsSync(marker)) {
    throw new MedigenError(`The VS Code test runtime (code-server ${CODE_SERVER_VERSION}) is not installed in ${dir}.`, SETUP_HINT);
  }
  const installed = readFileSync(marker, 'utf8').trim();
  if (installed !== CODE_SERVER_VERSION) {
    throw new MedigenError(
      `The VS Code test runtime in ${dir} is code-server ${installed}, but MediGen Lab needs ${CODE_SERVER_VERSION}.`,
      SETUP_HINT,
    );
  }
  const vscodePackage = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
  const vscodeVersion = String(JSON.parse(readFileSync(vscodePackage, 'utf8')).version);
  const chromium = options.chromium ?? process.env.MEDIGEN_CHROMIUM ?? '/usr/bin/chromium';
  if (!isExecutable(chromium)) {
    throw new MedigenError(`Chromium, which shows the VS Code workbench during tests, was not found at ${chromium}.`, SETUP_HINT);
  }
  return { dir, codeServer, vscodeVersion, chromium };
}
