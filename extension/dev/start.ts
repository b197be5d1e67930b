/**
 * `npm start` (and `npm run start:vscode`): prepares the sandbox (git repository, "Meet the data"
 * installed) and opens it in a real VS Code (code-server, scripts/vscode/open.ts) with MediGen Lab
 * loaded from this checkout. Plain Node; extra arguments go to open.ts (e.g. --port 8080).
 *
 *   tsx extension/dev/start.ts [--sandbox DIR] [--fresh] [open.ts options]
 *
 * The sandbox: --sandbox DIR, else MEDIGEN_SANDBOX_DIR, else ~/MediGenLab (the setting's default).
 * The classroom (VS Code's settings, open lessons, MediGen Lab's state, the port) is kept between
 * starts in --profile DIR, else MEDIGEN_CLASSROOM_DIR, else ~/.medigen/classroom; --fresh starts
 * with a new one. Ctrl-C, SIGTERM, the terminal closing or this process being killed stop VS Code.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { exitWithParent } from '../../curriculum/engine/index';
import { Lab } from '../../curriculum/lab/index';

const classroomDir = () => process.env.MEDIGEN_CLASSROOM_DIR || join(homedir(), '.medigen', 'classroom');

async function main(): Promise<number> {
  exitWithParent({ group: false }); // npm or tsx killed: this ends, then open.ts, then code-server
  const args = process.argv.slice(2);
  const at = args.indexOf('--sandbox');
  const sandbox = resolve(at >= 0 ? args.splice(at, 2)[1] ?? '' : process.env.MEDIGEN_SANDBOX_DIR || join(homedir(), 'MediGenLab'));
  const lab = await Lab.open({ sandboxRoot: sandbox });
  console.log(`Sandbox ready: ${lab.sandboxRoot} (modules: ${lab.modules.map((m) => `${m.id} ${m.version}`).join(', ')}).`);
  const root = projectRoot();
  if (!args.includes('--profile')) args.push('--profile', classroomDir());
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'vscode', 'open.ts'), '--folder', sandbox, ...args], {
    stdio: 'inherit',
    env: { ...process.env, MEDIGEN_SANDBOX_DIR: sandbox },
  });
  // Passed on (open.ts stops VS Code once, however many arrive); Ctrl-C reaches open.ts directly too.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((res) => child.on('close', (code) => res(code ?? 1)));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
