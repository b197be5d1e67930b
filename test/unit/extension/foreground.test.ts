import assert from 'node:assert/strict';
import { afterForeground, inForeground } from '../../../extension/foreground';

const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('foreground work (a lesson being opened) and what waits for it', () => {
  it('background work starts at once when nothing is in the foreground', async () => {
    const t = performance.now();
    await afterForeground();
    assert.ok(performance.now() - t < 20);
  });

  it('waits until every foreground task has settled, fulfilled or rejected', async () => {
    const order: string[] = [];
    const a = inForeground(later(60).then(() => order.push('lesson a')));
    const b = inForeground(later(30).then(() => Promise.reject(new Error('no such lesson'))));
    b.catch(() => order.push('lesson b failed'));
    await afterForeground().then(() => order.push('testing view'));
    await a;
    assert.deepEqual(order, ['lesson b failed', 'lesson a', 'testing view']);
    assert.equal(await inForeground(Promise.resolve(7)), 7, 'the work is returned unchanged');
  });

  it('waits no longer than its cap for a page that never says it is ready', async () => {
    void inForeground(later(400)); // far longer than the cap
    const t = performance.now();
    await afterForeground(80);
    const waited = performance.now() - t;
    assert.ok(waited >= 75 && waited < 1000, `waited ${waited} ms`);
  });
});
