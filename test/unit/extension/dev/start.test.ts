/**
 * `npm start` (extension/dev/start.ts → scripts/vscode/open.ts → code-server) with real
 * processes: the classroom profile and port kept between starts, and every way it ends — Ctrl-C
 * (SIGINT to the terminal's process group), the starting process killed with SIGKILL, code-server
 * crashing, a port in use — leaves no process of code-server and no throwaway folder behind.
 * Linux (/proc); needs the VS Code runtime (npm run setup) and the build (dist/).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { openClassroomProfile } from '../../../../scripts/vscode/index';

interface Proc {
  pid: number;
  state: string;
  pgrp: number;
  cmdline: string;
}

/** Every process on this machine, from /proc. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), state: fields[0]!, pgrp: Number(fields[2]), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // ended while we looked
    }
  }
  return out;
}

const running = (p: Proc) => p.state !== 'Z';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('npm start (extension/dev/start.ts): a kept classroom, and nothing left behind', function () {
  this.timeout(600_000);
  let dir: string;
  let tmp: string;
  let classroom: string;
  const started: ChildProcess[] = [];

  before(function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc
    dir = mkdtempSync(join(tmpdir(), 'medigen-start-test-'));
    tmp = join(dir, 'tmp'); // TMPDIR of the started processes: their throwaway folders land here
    classroom = join(dir, 'classroom');
    mkdirSync(tmp);
  });
  after(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts start.ts in its own process group (as a terminal runs it) and waits for the address. */
  async function start(extra: string[] = []): Promise<{ child: ChildProcess; url: string; port: number; output: () => string; codeServer: Proc }> {
    const env = { ...process.env, TMPDIR: tmp, MEDIGEN_CLASSROOM_DIR: classroom, MEDIGEN_MODULES_DIR: join(dir, 'modules'), MEDIGEN_SANDBOX_DIR: join(dir, 'sandbox') };
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'extension', 'dev', 'start.ts'), ...extra], { cwd: projectRoot(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = await until('VS Code is ready', () => /VS Code is ready[\s\S]*?(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out)?.[1] ?? (child.exitCode !== null ? assert.fail(`start.ts ended: ${out}`) : undefined), 240_000);
    const codeServer = processes().find((p) => p.cmdline.includes(`${tmp}/medigen-vscode-`) && p.cmdline.includes('config.yaml'));
    assert.ok(codeServer, `code-server is running from ${tmp}`);
    return { child, url, port: Number(new URL(url).port), output: () => out, codeServer };
  }

  /** Waits until nothing of code-server's process group runs and no throwaway folder is left. */
  async function assertAllGone(pgrp: number, what: string): Promise<void> {
    await until(`${what}: code-server's processes gone`, () => !processes().some((p) => p.pgrp === pgrp && running(p)));
    await until(`${what}: the throwaway folder removed`, () => readdirSync(tmp).filter((n) => n.startsWith('medigen-vscode-')).length === 0);
    await until(`${what}: the watcher ended`, () => !processes().some((p) => running(p) && p.cmdline.includes(String(pgrp)) && p.cmdline.includes('process.argv[1]')));
  }

  it('Ctrl-C stops code-server and removes its folder; a restart keeps a setting and the port; a killed npm start stops it too', async () => {
    const first = await start();
    assert.equal((await fetch(first.url)).ok, true, 'VS Code answers at the address');
    assert.match(first.output(), new RegExp(`kept in ${classroom.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // A setting changed in VS Code (it writes the profile's settings.json).
    const settingsFile = join(classroom, 'user-data', 'User', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'medigenLab.corpusFolder': '/data/aci-bench' }, null, 2));

    // Ctrl-C: the terminal sends SIGINT to the whole foreground group (start.ts and open.ts).
    process.kill(-first.child.pid!, 'SIGINT');
    const code = await new Promise((r) => first.child.once('exit', (c) => r(c)));
    assert.equal(code, 0, first.output());
    await assertAllGone(first.codeServer.pgrp, 'after Ctrl-C');

    const second = await start();
    assert.equal(second.port, first.port, 'the same address as last time');
    assert.equal(JSON.parse(readFileSync(settingsFile, 'utf8'))['medigenLab.corpusFolder'], '/data/aci-bench', 'the setting is kept');
    // The terminal's npm start killed outright (no handler runs in it).
    process.kill(second.child.pid!, 'SIGKILL');
    await assertAllGone(second.codeServer.pgrp, 'after SIGKILL of npm start');
    assert.equal(processes().some((p) => running(p) && p.cmdline.includes('scripts/vscode/open.ts') && p.cmdline.includes(classroom)), false, 'open.ts ended with its parent');
  });

  it('a port in use is reported and another one taken; code-server crashing ends npm start and removes the folder', async () => {
    const remembered = JSON.parse(readFileSync(join(classroom, 'classroom.json'), 'utf8')).port as number;
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(remembered, '127.0.0.1', () => r()));
    try {
      const s = await start();
      assert.notEqual(s.port, remembered);
      assert.match(s.output(), new RegExp(`Port ${remembered} \\(the one of the last start\\) is in use by another program, so VS Code uses port ${s.port} this time`));
      process.kill(s.codeServer.pid, 'SIGKILL'); // code-server crashes
      const code = await new Promise((r) => s.child.once('exit', (c) => r(c)));
      assert.equal(code, 1);
      assert.match(s.output(), /VS Code \(code-server\) stopped by itself \(signal SIGKILL\)[\s\S]*What to do: run npm start again/);
      await assertAllGone(s.codeServer.pgrp, 'after the crash');
    } finally {
      blocker.close();
    }
    assert.equal(JSON.parse(readFileSync(join(classroom, 'classroom.json'), 'utf8')).port, remembered, 'the usual port is still the one kept');
  });

  it('--fresh moves the old profile aside and starts a new one', () => {
    const d = join(dir, 'fresh');
    const p1 = openClassroomProfile(d);
    writeFileSync(join(p1.userDataDir, 'User', 'settings.json'), '{"a": 1}');
    writeFileSync(join(d, 'classroom.json'), '{"port": 4567}');
    assert.equal(openClassroomProfile(d).port, 4567);
    const p2 = openClassroomProfile(d, { fresh: true });
    assert.equal(p2.port, undefined);
    assert.equal(p2.movedAside, `${d}-previous`);
    assert.equal(existsSync(join(p2.userDataDir, 'User', 'settings.json')), false);
    assert.equal(readFileSync(join(`${d}-previous`, 'user-data', 'User', 'settings.json'), 'utf8'), '{"a": 1}');
  });
});
