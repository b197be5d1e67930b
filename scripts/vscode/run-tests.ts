/**
 * `npm run test:vscode`: runs the integration tests (test/integration, bundled to
 * out/test/integration/) inside a REAL VS Code extension host: code-server 4.100.3 (VS Code
 * 1.100.3) on a free localhost port, its workbench opened in headless Chromium. Exits 0 only
 * when every test passed.
 *
 *   tsx scripts/vscode/run-tests.ts [--grep TEXT] [--timeout S] [--screenshot FILE.png] [--verbose] [--keep]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../../core/errors';
import { projectRoot } from '../../core/paths';
import type { IntegrationResult } from '../../test/integration/index';
import { findRuntime } from './runtime';
import { startCodeServer, type CodeServer } from './server';
import { openWorkbench, workbenchUrl, type Workbench } from './workbench';

const USAGE = `Runs MediGen Lab's integration tests inside a real VS Code (code-server + headless Chromium).

Usage: tsx scripts/vscode/run-tests.ts [options]     (npm run test:vscode builds first, then runs this)

Options:
  --grep TEXT         only run tests whose full title contains TEXT
  --timeout S         seconds the whole test run may take once VS Code is up (default 600)
  --load-timeout S    seconds VS Code may take to start and show its window (default 180)
  --folder DIR        folder VS Code opens (default: an empty throwaway folder)
  --screenshot FILE   save a PNG of the VS Code window when the tests end
  --verbose           show every workbench console line, not just the test output
  --keep              keep the throwaway VS Code folders (user data, log) for debugging
  -h, --help          show this help

Needs the runtime from "bash scripts/vscode/setup.sh" (npm run setup installs it).`;

// test/integration/index.ts puts this before every line the tests print; everything else in the
// workbench console is VS Code's own log (shown with --verbose).
const TAG = '[medigen-test] ';

function readResult(file: string): IntegrationResult | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IntegrationResult;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        grep: { type: 'string' },
        timeout: { type: 'string', default: '600' },
        'load-timeout': { type: 'string', default: '180' },
        folder: { type: 'string' },
        screenshot: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n  What to do: run with --help to see the options.`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutS = Number(values.timeout);
  const loadTimeoutS = Number(values['load-timeout']);
  if (!(timeoutS > 0) || !(loadTimeoutS > 0)) {
    console.error(`--timeout and --load-timeout take a number of seconds above 0.\n\n${USAGE}`);
    return 2;
  }
  const runtime = findRuntime();
  const root = projectRoot();
  const testsPath = join(root, 'out', 'test', 'integration', 'index.cjs');
  for (const built of [join(root, 'dist', 'extension.cjs'), testsPath]) {
    if (!existsSync(built)) {
      console.error(`${built} is missing: the extension and its tests are not built.\n  What to do: run "node esbuild.mjs" (npm run test:vscode does it for you), then try again.`);
      return 1;
    }
  }
  const abort = new AbortController();
  const onSignal = () => {
    console.error('Stopping VS Code (press Ctrl-C again to quit at once)...');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stateDir = mkdtempSync(join(tmpdir(), 'medigen-vscode-result-'));
  const resultFile = join(stateDir, 'result.json');
  const env: Record<string, string> = { MEDIGEN_VSCODE_TEST_RESULT: resultFile, MEDIGEN_VSCODE_TEST_TAG: TAG };
  if (values.grep) env.MEDIGEN_VSCODE_TEST_GREP = values.grep;

  const started = Date.now();
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let sawTestOutput = false;
  try {
    console.log(`Starting VS Code ${runtime.vscodeVersion} (code-server) for the integration tests...`);
    server = await startCodeServer(
      runtime,
      { folder: values.folder ? resolve(values.folder) : undefined, env, keepState: values.keep, startTimeoutMs: loadTimeoutS * 1000 },
      abort.signal,
    );
    const url = workbenchUrl({ serverUrl: server.url, folder: server.folder, extensionDevelopmentPath: root, extensionTestsPath: testsPath });
    workbench = await openWorkbench(url, {
      chromium: runtime.chromium,
      loadTimeoutMs: loadTimeoutS * 1000,
      onConsole: (line, type) => {
        const at = line.indexOf(TAG.trimEnd()); // an empty tagged line arrives without its final space
        if (at >= 0) {
          sawTestOutput = true;
          console.log(line.slice(at + TAG.length));
        } else if (values.verbose) console.log(`[VS Code ${type}] ${line}`);
      },
    });
    console.log(`VS Code is up after ${((Date.now() - started) / 1000).toFixed(1)} s; the tests run in its extension host...`);
    const exitCode = await workbench.waitForTestExit(timeoutS * 1000, abort.signal);
    if (values.screenshot) {
      await workbench.screenshot(resolve(values.screenshot));
      console.log(`Screenshot saved to ${resolve(values.screenshot)}`);
    }
    const result = readResult(resultFile);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (abort.signal.aborted) {
      console.error('Interrupted: VS Code was stopped before the tests finished.');
      return 130;
    }
    if (exitCode === null) {
      console.error(`The integration tests did not finish within ${values.timeout} s.\n  What to do: look at the output above for a test that hangs, or allow more time with --timeout.`);
      console.error(`--- last lines of the code-server log:\n${server.logTail()}`);
      return 1;
    }
    if (!result) {
      console.error(`VS Code ended the test run (exit code ${exitCode}) without a result: the test runner did not start.\n  What to do: run again with --verbose to see VS Code's own messages.`);
      console.error(`--- last lines of the code-server log:\n${server.logTail()}`);
      return 1;
    }
    // The reporter's lines normally arrive through the workbench console; if they did not, say it here.
    if (!sawTestOutput) for (const t of result.tests.filter((x) => x.state === 'failed')) console.error(`FAILED: ${t.title}\n${t.error ?? ''}\n`);
    const exitNote = exitCode === 0 ? '' : ` (VS Code ended the run with exit code ${exitCode})`;
    console.log(`VS Code ${result.vscode}: ${result.passes} passed, ${result.failures} failed, ${result.pending} pending, in ${seconds} s${exitNote}.`);
    return exitCode === 0 && result.failures === 0 && result.passes > 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
