/**
 * Opens a real VS Code (code-server) with MediGen Lab loaded from this checkout.
 *
 * For a person (`npm start` uses this, with --profile ~/.medigen/classroom):
 *   tsx scripts/vscode/open.ts [--port N] [--folder DIR] [--profile DIR [--fresh]] [--untrusted]
 * prints the address to open in a browser and keeps VS Code running until Ctrl-C (or SIGTERM, or
 * the terminal closing, or its parent process ending, or code-server crashing: each stops
 * code-server and removes the throwaway folder).
 *
 * For UI checks and screenshots (headless Chromium, then exits):
 *   tsx scripts/vscode/open.ts --screenshot FILE.png [--command "MediGen Lab: Show Version"] [--expect-text TEXT]
 * exits 1 when --expect-text never appears (webviews included).
 */
import { resolve } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { exitWithParent } from '../../curriculum/engine/index';
import { freePort, openClassroomProfile, portIsFree, rememberPort, type ClassroomProfile } from './profile';
import { CODE_SERVER_VERSION, findRuntime } from './runtime';
import { startCodeServer, type CodeServer } from './server';
import { openWorkbench, workbenchUrl, type Workbench } from './workbench';
import { scriptArgs } from '../args';

const USAGE = `Opens a real VS Code (code-server ${CODE_SERVER_VERSION}) with MediGen Lab loaded from this folder.

Usage: tsx scripts/vscode/open.ts [options]

Options:
  --port N            port on 127.0.0.1 (default: the one of the last start with --profile, else a
                      free one; a port in use is reported and another one taken)
  --folder DIR        folder VS Code opens (default: an empty throwaway folder)
  --profile DIR       keep VS Code's user data (settings, open editors, MediGen Lab's state),
                      extensions and the port in DIR between starts (default: throwaway ones)
  --fresh             with --profile: start with a new profile (the old one is moved to DIR-previous)
  --untrusted         open the folder in Restricted Mode, as a folder you have not trusted (what a
                      student sees there: lessons readable, checks off)
  --screenshot FILE   do not wait for a person: open VS Code in headless Chromium, save a PNG, exit
  --command TITLE     with --screenshot: first run this command from the command palette
  --expect-text TEXT  with --screenshot: fail (exit 1) unless TEXT appears (webviews included)
  --wait S            with --screenshot: seconds to let the window settle before the picture (default 2)
  -h, --help          show this help

Needs the runtime from "bash scripts/vscode/setup.sh" (npm run setup installs it).`;

async function main(): Promise<number> {
  const values = scriptArgs({
    port: { type: 'string' },
    folder: { type: 'string' },
    profile: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    untrusted: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    command: { type: 'string' },
    'expect-text': { type: 'string' },
    wait: { type: 'string', default: '2' },
  }, USAGE);
  if (typeof values === 'number') return values;
  if ((values.command || values['expect-text']) && !values.screenshot) {
    console.error('--command and --expect-text only work together with --screenshot FILE.\n  What to do: add --screenshot shot.png, or run without them to open VS Code yourself.');
    return 2;
  }
  if (values.fresh && !values.profile) {
    console.error('--fresh starts a kept profile anew: it needs --profile DIR.\n  What to do: add --profile DIR, or leave --fresh out (without --profile every start is fresh).');
    return 2;
  }
  const asked = values.port === undefined ? undefined : Number(values.port);
  if (asked !== undefined && !(Number.isInteger(asked) && asked > 0 && asked < 65536)) {
    console.error(`--port ${values.port} is not a port number.\n  What to do: give a number from 1 to 65535, or leave --port out.`);
    return 2;
  }
  const runtime = findRuntime();
  const root = projectRoot();
  // Ends this process when the one that started it ends (npm start killed): the watcher of
  // server.ts then stops code-server and removes its folder.
  exitWithParent({ group: false });
  const abort = new AbortController();
  const stopped = new Promise<void>((r) => abort.signal.addEventListener('abort', () => r(), { once: true }));
  // Ctrl-C reaches this process once from the terminal and again through npm, tsx and start.ts:
  // every signal after the first is ignored while the stop runs (a second default SIGINT would
  // end this process before code-server is stopped).
  const onSignal = () => abort.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);

  let profile: ClassroomProfile | undefined;
  if (values.profile) {
    profile = openClassroomProfile(resolve(values.profile), { fresh: values.fresh });
    if (profile.movedAside) console.log(`Starting with a fresh classroom profile; the previous one is in ${profile.movedAside}.`);
  }
  let port = asked ?? profile?.port;
  if (port !== undefined && !(await portIsFree(port))) {
    const other = await freePort();
    console.log(`Port ${port}${asked === undefined ? ' (the one of the last start)' : ''} is in use by another program, so VS Code uses port ${other} this time: the address below is different. Stop the other program to get ${port} back next time.`);
    port = other;
  } else if (port === undefined && profile) {
    port = await freePort(); // chosen now, so it can be kept for the next start
  }
  // Kept: the first port of a profile, or one asked for with --port (not a stand-in for a busy one).
  if (profile && port !== undefined && (profile.port === undefined || port === asked)) rememberPort(profile, port);

  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  try {
    console.log(`Starting VS Code ${runtime.vscodeVersion} (code-server) with MediGen Lab from ${root}...`);
    server = await startCodeServer(
      runtime,
      { folder: values.folder ? resolve(values.folder) : undefined, port, untrusted: values.untrusted, profile },
      abort.signal,
    );
    const url = workbenchUrl({ serverUrl: server.url, folder: server.folder, extensionDevelopmentPath: root });
    if (!values.screenshot) {
      console.log(`\nVS Code is ready. Open this address in a browser on this machine:\n\n  ${url}\n`);
      if (profile) console.log(`Your settings, open lessons and the address are kept in ${profile.dir} for the next start (a new one: --fresh).`);
      console.log('MediGen Lab commands are in the command palette (F1, then type "MediGen"). Press Ctrl-C here to stop VS Code.');
      const crashed = await Promise.race([stopped.then(() => undefined), server.exited.then((how) => ({ how }))]);
      if (crashed) {
        console.error(`VS Code (code-server) stopped by itself (${typeof crashed.how === 'number' ? `exit code ${crashed.how}` : `signal ${crashed.how}`}). Its last messages:\n${server.logTail(20)}\n  What to do: run npm start again; if it stops again, reinstall the runtime with "bash scripts/vscode/setup.sh".`);
        return 1;
      }
      console.log('Stopping VS Code...');
      return 0;
    }
    workbench = await openWorkbench(url, { chromium: runtime.chromium });
    if (values.command) {
      await workbench.runPaletteCommand(values.command);
      console.log(`Ran "${values.command}" from the command palette.`);
    }
    let found = true;
    if (values['expect-text']) {
      found = await workbench.waitForText(values['expect-text']);
      console.log(found ? `Found "${values['expect-text']}" in the window.` : `"${values['expect-text']}" never appeared in the window (waited 30 s).`);
    }
    await new Promise((r) => setTimeout(r, Number(values.wait) * 1000));
    const file = resolve(values.screenshot);
    await workbench.screenshot(file);
    console.log(`Screenshot saved to ${file}`);
    return found ? 0 : 1;
  } finally {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    for (const s of signals) process.off(s, onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
