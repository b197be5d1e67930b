/**
 * Mocha runner that VS Code's extension host loads as `extensionTestsPath` (bundled by esbuild.mjs
 * to out/test/integration/index.cjs). The same file serves scripts/vscode/runTests.ts (code-server
 * + headless Chromium) and scripts/vscode/runElectron.ts (@vscode/test-electron, desktop VS Code).
 *
 * Environment (inherited by the extension host from the process that starts VS Code):
 * - MEDIGEN_VSCODE_TEST_RESULT: file to write a JSON summary to (`IntegrationResult`). Defaults to none.
 * - MEDIGEN_VSCODE_TEST_GREP: only run tests whose full title contains this text. Defaults to all.
 * - MEDIGEN_VSCODE_TEST_TAG: text put before every line the tests print (reporter and console), so
 *   a driver can tell them from the workbench's own log. Defaults to none (plain output).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** One test's outcome, as written to MEDIGEN_VSCODE_TEST_RESULT. */
export interface IntegrationTestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

/** The JSON summary written to MEDIGEN_VSCODE_TEST_RESULT when the run ends. */
export interface IntegrationResult {
  vscode: string;
  passes: number;
  failures: number;
  pending: number;
  tests: IntegrationTestOutcome[];
}

/**
 * Sub-folders holding suites that need a differently started VS Code; each has its own runner
 * (`<folder>/index.cjs`, which re-exports `run`), so the runner here skips them.
 */
const OWN_RUNNER_FOLDERS = ['untrusted', 'vsix', 'firstStart'];

/** Finds every `*.test.cjs` next to this bundle (sub-folders included, except OWN_RUNNER_FOLDERS). */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.cjs') && !OWN_RUNNER_FOLDERS.some((d) => f.startsWith(`${d}/`) || f.startsWith(`${d}\\`)))
    .sort()
    .map((f) => join(dir, f));
}

/** Puts `tag` before every console line until the returned function restores the console. */
function tagConsole(tag: string): () => void {
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const saved = methods.map((m) => console[m]);
  const reporterLog = Mocha.reporters.Base.consoleLog;
  methods.forEach((m, i) => (console[m] = (...args: unknown[]) => saved[i].call(console, tag + format(...args))));
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => reporterLog.call(console, tag + format(...args));
  return () => {
    methods.forEach((m, i) => (console[m] = saved[i]));
    Mocha.reporters.Base.consoleLog = reporterLog;
  };
}

/** Entry point VS Code calls; resolves when every test passed, rejects otherwise. */
export function run(): Promise<void> {
  // Generous: the machines this runs on may have 2 busy cores.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.MEDIGEN_VSCODE_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = testFiles(__dirname);
  for (const f of files) mocha.addFile(f);

  const tests: IntegrationTestOutcome[] = [];
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`No integration tests (*.test.cjs) found in ${__dirname}. Run "node esbuild.mjs" first.`));
      return;
    }
    const tag = process.env.MEDIGEN_VSCODE_TEST_TAG;
    const restoreConsole = tag ? tagConsole(tag) : () => {};
    const runner = mocha.run((failures) => {
      restoreConsole();
      const stats = runner.stats;
      const result: IntegrationResult = {
        vscode: vscode.version,
        passes: stats?.passes ?? 0,
        failures,
        pending: stats?.pending ?? 0,
        tests,
      };
      const out = process.env.MEDIGEN_VSCODE_TEST_RESULT;
      if (out) writeFileSync(out, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else if (result.passes === 0) reject(new Error('No integration test ran (check MEDIGEN_VSCODE_TEST_GREP).'));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
  });
}
