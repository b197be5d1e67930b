/**
 * Work the student is waiting for (a lesson being opened) and background work that can wait for
 * it. On a 2-core laptop, filling the Testing view with the course's exercises competes with VS
 * Code building the lesson's webview; background updates now start when the lesson is on screen.
 * (Measured only across bench runs, whose spread, ±50 ms, is as large as the effect seen.)
 */

const running = new Set<Promise<void>>();

/** Marks `work` as foreground until it settles (fulfilled or rejected); returns it unchanged. */
export function inForeground<T>(work: Promise<T>): Promise<T> {
  const settle = () => {
    running.delete(done);
  };
  const done: Promise<void> = work.then(settle, settle);
  running.add(done);
  return work;
}

/**
 * Resolves when no foreground work is running, or after `capMs` at most (a page that never says
 * it is ready must not hold background updates back for long).
 */
export function afterForeground(capMs = 3000): Promise<void> {
  if (!running.size) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((r) => (timer = setTimeout(r, capMs)));
  return Promise.race([Promise.all([...running]).then(() => undefined), cap]).finally(() => clearTimeout(timer));
}
