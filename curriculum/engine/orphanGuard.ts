import { Worker } from 'node:worker_threads';

/**
 * Makes this process end when its parent ends, even while its main thread is stuck in an
 * infinite loop (student code): a small worker thread, which keeps running whatever the main
 * thread does, looks at the parent process four times a second (its id changes on Linux and macOS;
 * on Windows, which keeps the old id, whether it still exists) and, once the parent is gone
 * (killed with SIGKILL, stopped with Ctrl+C, crashed), kills this process with SIGKILL. With
 * `group`, it kills this process's whole process group (the check process is the leader of its
 * own group, holding the student's process too), so nothing of a check keeps a core busy.
 */
export function exitWithParent(opts: { group: boolean }): void {
  const code = `
    const { workerData: d } = require('node:worker_threads');
    const parentAlive = () => {
      if (process.ppid !== d.ppid) return false; // re-parented (Linux, macOS)
      try { process.kill(d.ppid, 0); return true; } catch (e) { return e.code === 'EPERM'; } // Windows keeps the old ppid
    };
    setInterval(() => {
      if (parentAlive()) return;
      try { process.kill(d.group ? -d.pid : d.pid, 'SIGKILL'); } catch { process.kill(d.pid, 'SIGKILL'); }
    }, 250);`;
  const worker = new Worker(code, { eval: true, execArgv: [], workerData: { ppid: process.ppid, pid: process.pid, group: opts.group }, stdout: false, stderr: false });
  worker.unref();
}
