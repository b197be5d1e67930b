/**
 * Runs the SAME integration tests (out/test/integration/index.cjs) in desktop VS Code through
 * @vscode/test-electron, for developers on a desktop machine with internet access: it downloads
 * VS Code (into .vscode-test/) on first use. It cannot run on machines that only reach the npm
 * registry (like our CI); use `npm run test:vscode` there.
 *
 *   node esbuild.mjs && tsx scripts/vscode/runElectron.ts [--vscode-version 1.100.3] [--grep TEXT]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        // The VS Code that code-server 4.100.3 contains, so both runners test the same version.
        'vscode-version': { type: 'string', default: '1.100.3' },
        grep: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n  What to do: run with --help to see the options.`);
    return 2;
  }
  if (values.help) {
    console.log('Usage: tsx scripts/vscode/runElectron.ts [--vscode-version X.Y.Z|stable] [--grep TEXT]\n' +
      'Runs the integration tests in desktop VS Code (downloaded by @vscode/test-electron; needs internet).');
    return 0;
  }
  const root = projectRoot();
  const testsPath = join(root, 'out', 'test', 'integration', 'index.cjs');
  if (!existsSync(testsPath) || !existsSync(join(root, 'dist', 'extension.cjs'))) {
    console.error('The extension and its tests are not built.\n  What to do: run "node esbuild.mjs", then try again.');
    return 1;
  }
  const workspace = mkdtempSync(join(tmpdir(), 'medigen-electron-'));
  try {
    const env: Record<string, string> = {};
    if (values.grep) env.MEDIGEN_VSCODE_TEST_GREP = values.grep;
    await runTests({
      version: values['vscode-version'],
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (err) {
    const text = describeError(err);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(text)) {
      console.error(`@vscode/test-electron could not download VS Code: ${text}\n` +
        '  What to do: this runner needs internet access. On machines without it, run "npm run test:vscode" instead.');
    } else {
      console.error(`The integration tests failed in desktop VS Code: ${text}`);
    }
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(describeError(err));
  process.exit(1);
});
