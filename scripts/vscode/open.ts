/**
 * Opens a real VS Code (code-server) with MediGen Lab loaded from this checkout.
 *
 * For a person (`npm start` can use this):
 *   tsx scripts/vscode/open.ts [--port N] [--folder DIR] [--untrusted]
 * prints the address to open in a browser and keeps VS Code running until Ctrl-C.
 *
 * For UI checks and screenshots (headless Chromium, then exits):
 *   tsx scripts/vscode/open.ts --screenshot FILE.png [--command "MediGen Lab: Show Version"] [--expect-text TEXT]
 * exits 1 when --expect-text never appears (webviews included).
 */
import { resolve } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { CODE_SERVER_VERSION, findRuntime } from './runtime';
import { startCodeServer, type CodeServer } from './server';
import { openWorkbench, workbenchUrl, type Workbench } from './workbench';
import { scriptArgs } from '../args';

const USAGE = `Opens a real VS Code (code-server ${CODE_SERVER_VERSION}) with MediGen Lab loaded from this folder.

Usage: tsx scripts/vscode/open.ts [options]

Options:
  --port N            port on 127.0.0.1 (default: a free one)
  --folder DIR        folder VS Code opens (default: an empty throwaway folder)
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
  const runtime = findRuntime();
  const root = projectRoot();
  const abort = new AbortController();
  const stopped = new Promise<void>((r) => abort.signal.addEventListener('abort', () => r(), { once: true }));
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  try {
    console.log(`Starting VS Code ${runtime.vscodeVersion} (code-server) with MediGen Lab from ${root}...`);
    server = await startCodeServer(
      runtime,
      { folder: values.folder ? resolve(values.folder) : undefined, port: values.port ? Number(values.port) : undefined, untrusted: values.untrusted },
      abort.signal,
    );
    const url = workbenchUrl({ serverUrl: server.url, folder: server.folder, extensionDevelopmentPath: root });
    if (!values.screenshot) {
      console.log(`\nVS Code is ready. Open this address in a browser on this machine:\n\n  ${url}\n`);
      console.log('MediGen Lab commands are in the command palette (F1, then type "MediGen"). Press Ctrl-C here to stop VS Code.');
      await stopped;
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await workbench?.close().catch(() => undefined);
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
