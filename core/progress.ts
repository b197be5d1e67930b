/**
 * Progress reporting for long work, shared by the CLI (a line on stderr) and the extension
 * (a notification). Library code takes an optional `Progress` and never prints by itself.
 */
export interface Progress {
  /** `done` of `total` units finished; `label` says what is being worked on. */
  report(done: number, total: number, label?: string): void;
}

export const silentProgress: Progress = { report() {} };

/** A progress line on a stream, redrawn in place on a terminal and throttled elsewhere. */
export function streamProgress(stream: NodeJS.WriteStream, what: string): Progress & { end(): void } {
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    report(done, total, label) {
      const now = Date.now();
      if (done < total && now - last < (stream.isTTY ? 100 : 2000)) return;
      last = now;
      const secs = (now - start) / 1000;
      const eta = done > 0 && done < total ? ` · about ${Math.ceil((secs / done) * (total - done))} s left` : '';
      const line = `${what}: ${done}/${total}${label ? ` (${label})` : ''}${eta}`;
      if (stream.isTTY) stream.write(`\r\x1b[K${line}`);
      else stream.write(`${line}\n`);
      drawn = true;
    },
    end() {
      if (drawn && stream.isTTY) stream.write('\n');
    },
  };
}
