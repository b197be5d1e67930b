import assert from 'node:assert/strict';
import { cleanSeries, escapeXml, lineChartSvg, niceTicks } from '../../../../extension/training/chart';

describe('training chart (inline SVG)', () => {
  it('keeps one point per step, the last value winning, sorted, without non-finite values', () => {
    const points = [
      { step: 3, value: 1.5 },
      { step: 1, value: 3 },
      { step: 2, value: 2 },
      { step: 3, value: 1.2 },
      { step: 4, value: Number.NaN },
      { step: 5, value: Number.POSITIVE_INFINITY },
    ];
    assert.deepEqual(cleanSeries(points), [
      { step: 1, value: 3 },
      { step: 2, value: 2 },
      { step: 3, value: 1.2 },
    ]);
  });

  it('picks round tick values that cover the range', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(0, 300, 6), [0, 50, 100, 150, 200, 250, 300]);
    assert.deepEqual(niceTicks(0.13, 2.9, 5), [0.5, 1, 1.5, 2, 2.5]);
    assert.deepEqual(niceTicks(7, 7), [7]);
    assert.deepEqual(niceTicks(Number.NaN, 1), []);
  });

  it('draws one path per series through every point, with a legend', () => {
    const train = [1, 2, 3, 4].map((step) => ({ step, value: 3 / step }));
    const svg = lineChartSvg(
      [
        { name: 'training loss', points: train, className: 'series-train' },
        { name: 'validation loss', points: [{ step: 2, value: 1.7 }], className: 'series-eval' },
      ],
      { title: 'Loss', width: 400, height: 200 },
    );
    assert.match(svg, /^<svg [^>]*viewBox="0 0 400 200"[^>]*aria-label="Loss">/);
    const path = /<path class="chart-line series-train" d="([^"]+)"\/>/.exec(svg);
    assert.ok(path, svg);
    const coords = path[1]!.split(/[ML]/).filter(Boolean).map((p) => p.split(',').map(Number));
    assert.equal(coords.length, 4);
    // x grows with the step, y grows (downwards) as the loss falls
    for (let i = 1; i < coords.length; i++) {
      assert.ok(coords[i]![0]! > coords[i - 1]![0]!);
      assert.ok(coords[i]![1]! > coords[i - 1]![1]!);
    }
    // first point at the left edge of the plot and at the top (highest loss)
    assert.equal(coords[0]![0], 56);
    assert.equal(coords[0]![1], 26);
    assert.match(svg, /<circle class="chart-point series-eval"/);
    assert.match(svg, />training loss</);
    assert.match(svg, />validation loss</);
    assert.doesNotMatch(svg, /style=/, 'no inline styles: the CSP forbids them');
  });

  it('says so when there is nothing to draw, and escapes text', () => {
    const svg = lineChartSvg([{ name: '<b>x</b>', points: [], className: 'series-lr' }], { title: 'A "title"', emptyText: 'Nothing <yet>' });
    assert.match(svg, /Nothing &lt;yet&gt;/);
    assert.match(svg, /aria-label="A &quot;title&quot;"/);
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
  });
});
