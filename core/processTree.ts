import { spawnSync } from 'node:child_process';

/**
 * Kills process `pid` and everything it started, now. On Linux and macOS the process must lead
 * its own process group (spawned with `detached: true`): the whole group gets SIGKILL, even after
 * the leader is gone. Windows has no process groups: `taskkill /T /F` ends the tree of processes
 * that `pid` started. Nothing happens when they are all gone already.
 */
export function killProcessTree(pid: number | undefined, platform: NodeJS.Platform = process.platform): void {
  if (pid === undefined) return;
  if (platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL'); // not a group leader: at least the process itself
    } catch {
      // gone already
    }
  }
}
