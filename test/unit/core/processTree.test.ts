/**
 * killProcessTree with real processes: a group leader and the process it started both end.
 * (The Windows branch, taskkill /T /F, runs only on Windows.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { killProcessTree } from '../../../core/index';

/** Running (a zombie, killed and waiting for a parent to reap it, counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return !existsSync('/proc/self'); // no /proc (macOS): kill(0) answered
  }
};

describe('killProcessTree', () => {
  it('ends a detached process and the child it started, and ignores one already gone', async function () {
    if (process.platform === 'win32') this.skip(); // the POSIX branch; Windows uses taskkill
    const leader = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((r) => leader.stdout!.once('data', (d: Buffer) => r(d.toString().trim()))));
    assert.ok(alive(leader.pid!) && alive(grandchild));
    const exited = new Promise((r) => leader.once('exit', r));
    killProcessTree(leader.pid);
    await exited;
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(alive(grandchild), false, 'the sleep the shell started is gone too');
    killProcessTree(leader.pid); // gone: no throw
    killProcessTree(undefined);
  });
});
