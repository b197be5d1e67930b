/**
 * How the VS Code test driver opens a trusted or an untrusted (Restricted Mode) window: the
 * code-server arguments and user settings, with a stand-in code-server that records what it was
 * given. (The real Restricted Mode is proven by `npm run test:vscode`: its untrusted suite asserts
 * vscode.workspace.isTrusted === false inside the real extension host.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { startCodeServer } from '../../../../scripts/vscode/server';
import type { VscodeRuntime } from '../../../../scripts/vscode/runtime';

describe('VS Code test driver: trusted and untrusted windows', () => {
  let dir: string;
  let runtime: VscodeRuntime;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-vscode-trust-'));
    const launcher = join(dir, 'code-server');
    // Records its arguments, says it listens, and waits to be stopped, as code-server does.
    writeFileSync(launcher, '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$ARGS_FILE"\necho "HTTP server listening on http://127.0.0.1:45678/"\nexec sleep 60\n');
    chmodSync(launcher, 0o755);
    runtime = { dir, codeServer: launcher, vscodeVersion: '1.100.3', chromium: '/bin/false' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function start(untrusted: boolean | undefined): Promise<{ args: string[]; settings: Record<string, unknown>; url: string }> {
    const argsFile = join(dir, 'args.txt');
    const server = await startCodeServer(runtime, { env: { ARGS_FILE: argsFile }, ...(untrusted === undefined ? {} : { untrusted }) });
    try {
      const settings = JSON.parse(readFileSync(join(server.stateDir, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
      return { args: readFileSync(argsFile, 'utf8').trim().split('\n'), settings, url: server.url };
    } finally {
      await server.stop();
    }
  }

  it('by default turns workspace trust off (every folder trusted)', async () => {
    const { args, settings, url } = await start(undefined);
    assert.equal(url, 'http://127.0.0.1:45678');
    assert.ok(args.includes('--disable-workspace-trust'));
    assert.equal(settings['security.workspace.trust.enabled'], false);
  });

  it('with untrusted: trust on, never asked, so the folder opens in Restricted Mode', async () => {
    const { args, settings } = await start(true);
    assert.ok(!args.includes('--disable-workspace-trust'), args.join(' '));
    assert.equal(settings['security.workspace.trust.enabled'], true);
    assert.equal(settings['security.workspace.trust.startupPrompt'], 'never');
    assert.equal(settings['security.workspace.trust.emptyWindow'], false);
    assert.equal(settings['telemetry.telemetryLevel'], 'off', 'the quiet, offline settings stay');
  });

  it('runTests.ts refuses two suite choices at once, and documents each', () => {
    const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
    for (const pair of [['--all', '--untrusted'], ['--untrusted', '--first-start'], ['--all', '--first-start']]) {
      const both = spawnSync(tsx, ['scripts/vscode/runTests.ts', ...pair], { cwd: projectRoot(), encoding: 'utf8' });
      assert.equal(both.status, 2, both.stderr);
      assert.match(both.stderr, /Give one of --all, --untrusted and --first-start \(--all runs every suite\)/);
    }
    const help = spawnSync(tsx, ['scripts/vscode/runTests.ts', '--help'], { cwd: projectRoot(), encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--untrusted\s+run only the untrusted suite/);
    assert.match(help.stdout, /--first-start\s+run only the first-start suite/);
    assert.match(help.stdout, /--all\s+run the trusted suite, the untrusted one, then the first start/);
  });
});
