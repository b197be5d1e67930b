/**
 * The VS Code test driver's parts that work without the VS Code runtime. The runtime itself is
 * exercised end to end by `npm run test:vscode` (test/integration).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../core/index';
import { projectRoot } from '../../../../core/index';
import { CODE_SERVER_VERSION, findRuntime, workbenchUrl } from '../../../../scripts/vscode/index';

/** Lays out an npm prefix the way setup.sh leaves it (launcher, marker, VS Code's package.json). */
function fakeRuntime(dir: string, marker: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'code-server', 'lib', 'vscode'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', '.bin', 'code-server'), '#!/bin/sh\n');
  chmodSync(join(dir, 'node_modules', '.bin', 'code-server'), 0o755);
  writeFileSync(join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), '{"version":"1.100.3"}');
  writeFileSync(join(dir, '.installed'), `${marker}\n`);
}

describe('VS Code test driver', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-vscode-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says how to install the runtime when it is missing', () => {
    assert.throws(
      () => findRuntime({ dir: join(dir, 'nothing-here') }),
      (err: unknown) => err instanceof MedigenError && /not installed/.test(err.message) && /npm run setup/.test(err.hint),
    );
  });

  it('refuses a runtime of another code-server version', () => {
    fakeRuntime(dir, '4.99.0');
    assert.throws(
      () => findRuntime({ dir, chromium: process.execPath }),
      (err: unknown) => err instanceof MedigenError && err.message.includes('4.99.0') && err.message.includes(CODE_SERVER_VERSION),
    );
  });

  it('says when Chromium is missing', () => {
    fakeRuntime(dir, CODE_SERVER_VERSION);
    assert.throws(
      () => findRuntime({ dir, chromium: join(dir, 'no-chromium') }),
      (err: unknown) => err instanceof MedigenError && /Chromium/.test(err.message) && /setup/.test(err.hint),
    );
  });

  it('finds an installed runtime and reads its VS Code version', () => {
    fakeRuntime(dir, CODE_SERVER_VERSION);
    const runtime = findRuntime({ dir, chromium: process.execPath });
    assert.equal(runtime.vscodeVersion, '1.100.3');
    assert.equal(runtime.codeServer, join(dir, 'node_modules', '.bin', 'code-server'));
  });

  it('puts the extension and test paths into the workbench payload as vscode-remote URIs', () => {
    const url = new URL(
      workbenchUrl({
        serverUrl: 'http://127.0.0.1:41723',
        folder: '/tmp/work space',
        extensionDevelopmentPath: '/repo',
        extensionTestsPath: '/repo/out/test/integration/index.cjs',
      }),
    );
    assert.equal(url.searchParams.get('folder'), '/tmp/work space');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload')!), [
      ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:41723/repo'],
      ['extensionTestsPath', 'vscode-remote://127.0.0.1:41723/repo/out/test/integration/index.cjs'],
    ]);
    const plain = new URL(workbenchUrl({ serverUrl: 'http://127.0.0.1:1', folder: '/w' }));
    assert.equal(plain.searchParams.get('payload'), null);
  });

  it('npm run test:vscode fails with a clear message when the runtime is not installed', () => {
    const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['scripts/vscode/runTests.ts'], {
      cwd: projectRoot(),
      env: { ...process.env, MEDIGEN_VSCODE_RUNTIME: join(dir, 'missing') },
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /VS Code test runtime \(code-server 4\.100\.3\) is not installed/);
    assert.match(r.stderr, /What to do: Run "npm run setup"/);
  });
});
