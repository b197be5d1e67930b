/**
 * `npm run test:vscode`: runs the integration tests (test/integration, bundled to
 * out/test/integration/) inside a REAL VS Code extension host: code-server 4.100.3 (VS Code
 * 1.100.3) on a free localhost port, its workbench opened in headless Chromium. Exits 0 only
 * when every test passed.
 *
 * Three suites: the trusted one (test/integration/*.test.ts, workspace trust off), the untrusted
 * one (test/integration/untrusted/, the folder opened in Restricted Mode, as for a folder the
 * student has not trusted) and the first start (test/integration/firstStart/: a fresh profile on
 * a sandbox folder, first-start pages on). `--untrusted` runs the second, `--all` all three
 * (npm run test:vscode).
 *
 * `--vsix FILE` runs a third suite (test/integration/vsix) against FILE installed into VS Code.
 *
 *   tsx scripts/vscode/runTests.ts [--all | --untrusted | --first-start | --vsix FILE] [--grep TEXT] [--timeout S] [--screenshot FILE.png] [--verbose] [--keep]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { Sandbox } from '../../sandbox/index';
import type { IntegrationResult } from '../../test/integration/index';
import { findRuntime, type VscodeRuntime } from './runtime';
import { openClassroomProfile } from './profile';
import { startCodeServer, type CodeServer } from './server';
import { openWorkbench, workbenchUrl, type Workbench } from './workbench';
import { scriptArgs } from '../args';

const USAGE = `Runs MediGen Lab's integration tests inside a real VS Code (code-server + headless Chromium).

Usage: tsx scripts/vscode/runTests.ts [options]     (npm run test:vscode builds first, then runs this)

Options:
  --all               run the trusted suite, the untrusted one, then the first start in a sandbox
                      folder (what npm run test:vscode does)
  --untrusted         run only the untrusted suite (test/integration/untrusted): the folder opens in
                      Restricted Mode, as a folder the student has not trusted
  --first-start       run only the first-start suite (test/integration/firstStart): a fresh profile
                      on a sandbox folder, nothing clicked
  --vsix FILE         install FILE (a .vsix from npm run package) into the throwaway VS Code and run
                      the installed-extension suite (test/integration/vsix) against it, not this
                      checkout (what npm run test:vsix does)
  --grep TEXT         only run tests whose full title contains TEXT
  --timeout S         seconds the whole test run may take once VS Code is up (default 600)
  --load-timeout S    seconds VS Code may take to start and show its window (default 180)
  --folder DIR        folder VS Code opens (default: an empty throwaway folder)
  --profile DIR       keep VS Code's user data and extensions in DIR between runs, as a student's
                      VS Code keeps them (npm run bench: a returning student); not with --all, whose
                      first-start suite needs a fresh profile (default: throwaway folders)
  --screenshot FILE   save a PNG of the VS Code window when the tests end (with --all: of each
                      suite, FILE and FILE with "-untrusted" before .png)
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

/** The two integration suites: where their runner is (under out/test/integration) and how VS Code opens. */
const SUITES = {
  trusted: { label: 'trusted', runner: 'index.cjs', untrusted: false },
  untrusted: { label: 'untrusted (Restricted Mode)', runner: join('untrusted', 'index.cjs'), untrusted: true },
  firstStart: { label: 'first start (a sandbox folder, fresh profile)', runner: join('firstStart', 'index.cjs'), untrusted: false, firstStart: true },
} as const;
/**
 * A suite; `vsix`: the .vsix installed before VS Code starts, and the tests run against it;
 * `firstStart`: VS Code opens a sandbox made beforehand, with the first-start pages on.
 */
type Suite = { label: string; runner: string; untrusted: boolean; vsix?: string; firstStart?: boolean };

/** The installed-extension suite for `vsix` (--vsix). */
const vsixSuite = (vsix: string): Suite => ({ label: 'installed .vsix', runner: join('vsix', 'index.cjs'), untrusted: false, vsix: resolve(vsix) });

/**
 * VS Code runs extension tests only with an extension under development; with --vsix that is this
 * empty stand-in (another id), so MediGen Lab itself comes from the extensions folder.
 */
function testHarnessExtension(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: 'medigen-vsix-test-harness', publisher: 'medigen-lab', version: '0.0.0', engines: { vscode: '^1.100.0' } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

interface RunValues {
  grep?: string;
  timeout: string;
  'load-timeout': string;
  folder?: string;
  profile?: string;
  screenshot?: string;
  verbose: boolean;
  keep: boolean;
}

/** What one suite's run ended as: its exit code (0 passed) and how many tests passed. */
interface SuiteOutcome {
  code: number;
  passes: number;
  /** With --grep: no test of this suite matched (not a failure when another suite ran tests). */
  noneMatched: boolean;
}

/** Starts a fresh VS Code for `suite`, runs its tests in the extension host, and stops VS Code again. */
async function runSuite(suite: Suite, runtime: VscodeRuntime, values: RunValues, screenshot: string | undefined, abort: AbortController): Promise<SuiteOutcome> {
  const root = projectRoot();
  const timeoutS = Number(values.timeout);
  const loadTimeoutS = Number(values['load-timeout']);
  const testsPath = join(root, 'out', 'test', 'integration', suite.runner);
  const stateDir = mkdtempSync(join(tmpdir(), 'medigen-vscode-result-'));
  const resultFile = join(stateDir, 'result.json');
  // Modules the lab installs go to this run's own folder, not the user's ~/.medigen/modules.
  const env: Record<string, string> = { MEDIGEN_VSCODE_TEST_RESULT: resultFile, MEDIGEN_VSCODE_TEST_TAG: TAG, MEDIGEN_MODULES_DIR: join(stateDir, 'modules') };
  if (values.grep) env.MEDIGEN_VSCODE_TEST_GREP = values.grep;
  const failed = (code = 1): SuiteOutcome => ({ code, passes: 0, noneMatched: false });
  // The first-start suite opens a classroom sandbox, as `npm start` does.
  const folder = suite.firstStart ? join(stateDir, 'MediGenLab') : values.folder ? resolve(values.folder) : undefined;
  if (suite.firstStart) await Sandbox.open(folder!);

  const started = Date.now();
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let sawTestOutput = false;
  // VS Code's own errors (a save that failed, an extension that threw), printed when a test fails.
  const vscodeErrors: string[] = [];
  try {
    console.log(`Starting VS Code ${runtime.vscodeVersion} (code-server) for the ${suite.label} integration tests...`);
    server = await startCodeServer(
      runtime,
      {
        folder, env, keepState: values.keep, ...(values.profile ? { profile: openClassroomProfile(resolve(values.profile)) } : {}), startTimeoutMs: loadTimeoutS * 1000, untrusted: suite.untrusted, installExtensions: suite.vsix ? [suite.vsix] : undefined,
        // The walkthrough and first lesson of a first start would cover what the tests open; the
        // tests of the first start (activation.test.ts, firstStart/) turn it on.
        settings: { 'medigenLab.openOnFirstStart': suite.firstStart === true },
      },
      abort.signal,
    );
    const url = workbenchUrl({ serverUrl: server.url, folder: server.folder, extensionDevelopmentPath: suite.vsix ? testHarnessExtension(join(stateDir, 'harness')) : root, extensionTestsPath: testsPath });
    workbench = await openWorkbench(url, {
      chromium: runtime.chromium,
      loadTimeoutMs: loadTimeoutS * 1000,
      onConsole: (line, type) => {
        const at = line.indexOf(TAG.trimEnd()); // an empty tagged line arrives without its final space
        if (at >= 0) {
          sawTestOutput = true;
          console.log(line.slice(at + TAG.length));
        } else if (values.verbose) console.log(`[VS Code ${type}] ${line}`);
        else if (type === 'error' && vscodeErrors.push(line.slice(0, 2000)) > 40) vscodeErrors.shift();
      },
    });
    console.log(`VS Code is up after ${((Date.now() - started) / 1000).toFixed(1)} s; the tests run in its extension host...`);
    const exitCode = await workbench.waitForTestExit(timeoutS * 1000, abort.signal);
    if (screenshot) {
      await workbench.screenshot(screenshot);
      console.log(`Screenshot saved to ${screenshot}`);
    }
    const result = readResult(resultFile);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (abort.signal.aborted) {
      console.error('Interrupted: VS Code was stopped before the tests finished.');
      return failed(130);
    }
    if (exitCode === null) {
      console.error(`The ${suite.label} integration tests did not finish within ${values.timeout} s.\n  What to do: look at the output above for a test that hangs, or allow more time with --timeout.`);
      console.error(`--- last lines of the code-server log:\n${server.logTail()}`);
      return failed();
    }
    if (!result) {
      console.error(`VS Code ended the test run (exit code ${exitCode}) without a result: the test runner did not start.\n  What to do: run again with --verbose to see VS Code's own messages.`);
      console.error(`--- last lines of the code-server log:\n${server.logTail()}`);
      return failed();
    }
    // The reporter's lines normally arrive through the workbench console; if they did not, say it here.
    if (!sawTestOutput) for (const t of result.tests.filter((x) => x.state === 'failed')) console.error(`FAILED: ${t.title}\n${t.error ?? ''}\n`);
    if (result.failures > 0 && vscodeErrors.length) console.error(`--- VS Code's last ${vscodeErrors.length} error messages of the run (its workbench console):\n${vscodeErrors.join('\n')}`);
    const exitNote = exitCode === 0 ? '' : ` (VS Code ended the run with exit code ${exitCode})`;
    console.log(`VS Code ${result.vscode}, ${suite.label} suite: ${result.passes} passed, ${result.failures} failed, ${result.pending} pending, in ${seconds} s${exitNote}.`);
    const noneMatched = !!values.grep && result.passes === 0 && result.failures === 0;
    return { code: exitCode === 0 && result.failures === 0 && result.passes > 0 ? 0 : 1, passes: result.passes, noneMatched };
  } finally {
    await workbench?.close().catch(() => undefined);
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** FILE.png → FILE-untrusted.png (the untrusted suite's screenshot with --all). */
function suiteScreenshot(file: string | undefined, suite: Suite, both: boolean): string | undefined {
  if (!file) return undefined;
  const abs = resolve(file);
  return both && suite.untrusted ? abs.replace(/(\.png)?$/i, '-untrusted$1') : abs;
}

async function main(): Promise<number> {
  const values = scriptArgs({
    all: { type: 'boolean', default: false },
    vsix: { type: 'string' },
    untrusted: { type: 'boolean', default: false },
    'first-start': { type: 'boolean', default: false },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    'load-timeout': { type: 'string', default: '180' },
    folder: { type: 'string' },
    profile: { type: 'string' },
    screenshot: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  }, USAGE);
  if (typeof values === 'number') return values;
  if (!(Number(values.timeout) > 0) || !(Number(values['load-timeout']) > 0)) {
    console.error(`--timeout and --load-timeout take a number of seconds above 0.\n\n${USAGE}`);
    return 2;
  }
  if (values.vsix && (values.all || values.untrusted || values['first-start'])) {
    console.error(`--vsix runs its own suite against the installed extension: give it without --all and --untrusted.\n\n${USAGE}`);
    return 2;
  }
  if (values.vsix && !existsSync(values.vsix)) {
    console.error(`The .vsix ${resolve(values.vsix)} does not exist.\n  What to do: make it with "npm run package" (npm run test:vsix does both), then try again.`);
    return 1;
  }
  if (values.profile && (values.all || values['first-start'])) {
    console.error(`--profile keeps a VS Code profile between runs; the first-start suite needs a fresh one: give it without --all and --first-start.\n\n${USAGE}`);
    return 2;
  }
  if ([values.all, values.untrusted, values['first-start']].filter(Boolean).length > 1) {
    console.error(`Give one of --all, --untrusted and --first-start (--all runs every suite).\n\n${USAGE}`);
    return 2;
  }
  const runtime = findRuntime();
  const root = projectRoot();
  const suites: Suite[] = values.vsix
    ? [vsixSuite(values.vsix)]
    : values.all
      ? [SUITES.trusted, SUITES.untrusted, SUITES.firstStart]
      : [values.untrusted ? SUITES.untrusted : values['first-start'] ? SUITES.firstStart : SUITES.trusted];
  for (const built of [join(root, 'dist', 'extension.cjs'), ...suites.map((s) => join(root, 'out', 'test', 'integration', s.runner))]) {
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
  try {
    const outcomes: SuiteOutcome[] = [];
    for (const suite of suites) {
      if (abort.signal.aborted) break;
      outcomes.push(await runSuite(suite, runtime, values, suiteScreenshot(values.screenshot, suite, suites.length > 1), abort));
    }
    if (abort.signal.aborted) return 130;
    // With --all and --grep, a suite where no test matches is fine as long as another suite ran tests.
    const ran = outcomes.filter((o) => !(suites.length > 1 && o.noneMatched));
    if (ran.length === 0) {
      console.error(`No integration test matches --grep "${values.grep}".\n  What to do: check the text against the test titles.`);
      return 1;
    }
    if (suites.length > 1) console.log(`All suites: ${outcomes.reduce((n, o) => n + o.passes, 0)} passed; ${ran.every((o) => o.code === 0) ? 'every suite passed' : 'a suite FAILED (see above)'}.`);
    return ran.every((o) => o.code === 0) ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
