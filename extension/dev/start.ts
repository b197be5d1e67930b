/**
 * `npm run start:vscode`: prepares the sandbox (git repository, "Meet the data" installed) and
 * opens it in a real VS Code (code-server, scripts/vscode/open.ts) with MediGen Lab loaded from
 * this checkout. Plain Node; extra arguments go to open.ts (e.g. --port 8080).
 *
 *   tsx extension/dev/start.ts [--sandbox DIR] [open.ts options]
 *
 * The sandbox: --sandbox DIR, else MEDIGEN_SANDBOX_DIR, else ~/MediGenLab (the setting's default).
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { Lab } from '../../curriculum/lab/index';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sandbox');
  const sandbox = resolve(at >= 0 ? args.splice(at, 2)[1] ?? '' : process.env.MEDIGEN_SANDBOX_DIR || join(homedir(), 'MediGenLab'));
  const lab = await Lab.open({ sandboxRoot: sandbox });
  console.log(`Sandbox ready: ${lab.sandboxRoot} (modules: ${lab.modules.map((m) => `${m.id} ${m.version}`).join(', ')}).`);
  const root = projectRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'vscode', 'open.ts'), '--folder', sandbox, ...args], {
    stdio: 'inherit',
    env: { ...process.env, MEDIGEN_SANDBOX_DIR: sandbox },
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((res) => child.on('close', (code) => res(code ?? 1)));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
