/**
 * Line charts as inline SVG strings (no charting library, nothing fetched): the dashboard's loss
 * and learning-rate curves. Pure: colours come from CSS classes (`series-<n>`) styled with the
 * VS Code theme variables in the dashboard's stylesheet, so the SVG carries no inline styles.
 */

/** One point of a curve. */
export interface ChartPoint {
  step: number;
  value: number;
}

/** One curve. */
export interface ChartSeries {
  /** Shown in the legend. */
  name: string;
  points: ChartPoint[];
  /** CSS class of the line and its legend swatch (e.g. `series-train`). */
  className: string;
}

/** Options of `lineChartSvg`. */
export interface ChartOptions {
  /** Title read by screen readers (aria-label). */
  title: string;
  /** Pixel size of the viewBox. Defaults to 560 × 220. */
  width?: number;
  height?: number;
  /** Formats y-axis tick labels. Defaults to 3 significant digits. */
  formatY?: (v: number) => string;
  /** Shown when no series has a point yet. Defaults to "No data yet". */
  emptyText?: string;
}

/** Escapes text for SVG/HTML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * One point per step, sorted by step, the last value winning: a resumed run re-reports the steps
 * after its checkpoint, and non-finite values (a diverged loss) cannot be drawn.
 */
export function cleanSeries(points: readonly ChartPoint[]): ChartPoint[] {
  const byStep = new Map<number, number>();
  for (const p of points) if (Number.isFinite(p.step) && Number.isFinite(p.value)) byStep.set(p.step, p.value);
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value }));
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const mag = 10 ** Math.floor(Math.log10((max - min) / Math.max(1, count - 1)));
  const ticksFor = (step: number) => {
    const ticks: number[] = [];
    for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
    return ticks;
  };
  // The candidate step whose tick count is closest to `count` (more ticks on a tie).
  const options = [0.5, 1, 2, 5, 10].map((m) => ticksFor(m * mag));
  return options.reduce((best, t) => (Math.abs(t.length - count) < Math.abs(best.length - count) || (Math.abs(t.length - count) === Math.abs(best.length - count) && t.length > best.length) ? t : best));
}

function defaultFormat(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** Draws the series as an SVG line chart with axes, ticks and a legend. */
export function lineChartSvg(series: readonly ChartSeries[], o: ChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 220;
  const fmt = o.formatY ?? defaultFormat;
  const pad = { left: 56, right: 12, top: 26, bottom: 40 };
  const clean = series.map((s) => ({ ...s, points: cleanSeries(s.points) }));
  const all = clean.flatMap((s) => s.points);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(o.title)}">`;
  if (all.length === 0) {
    return `${head}<text class="chart-empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">${escapeXml(o.emptyText ?? 'No data yet')}</text></svg>`;
  }
  let [x0, x1] = [Math.min(...all.map((p) => p.step)), Math.max(...all.map((p) => p.step))];
  let [y0, y1] = [Math.min(...all.map((p) => p.value)), Math.max(...all.map((p) => p.value))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = y0 === 0 ? [-1, 1] : [y0 - Math.abs(y0) * 0.1, y1 + Math.abs(y1) * 0.1];
  const yTicks = niceTicks(y0, y1, 5);
  const xTicks = niceTicks(x0, x1, 6).filter((t) => Number.isInteger(t));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => pad.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const r = (n: number) => n.toFixed(1);
  const parts: string[] = [head];
  parts.push(`<g class="chart-grid">${yTicks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${r(sy(t))}" y2="${r(sy(t))}"/>`).join('')}</g>`);
  parts.push(`<g class="chart-axis"><line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}"/><line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}"/></g>`);
  parts.push(`<g class="chart-labels">${yTicks.map((t) => `<text x="${pad.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end">${escapeXml(fmt(t))}</text>`).join('')}`);
  parts.push(`${xTicks.map((t) => `<text x="${r(sx(t))}" y="${pad.top + plotH + 16}" text-anchor="middle">${t}</text>`).join('')}`);
  parts.push(`<text x="${pad.left + plotW / 2}" y="${height - 4}" text-anchor="middle">step</text></g>`);
  for (const s of clean) {
    if (s.points.length === 0) continue;
    const cls = escapeXml(s.className);
    if (s.points.length === 1) {
      const p = s.points[0]!;
      parts.push(`<circle class="chart-point ${cls}" cx="${r(sx(p.step))}" cy="${r(sy(p.value))}" r="3"/>`);
    } else {
      const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${r(sx(p.step))},${r(sy(p.value))}`).join('');
      parts.push(`<path class="chart-line ${cls}" d="${d}"/>`);
    }
  }
  const legend = clean.map((s, i) => `<g class="chart-legend" transform="translate(${pad.left + i * 150},4)"><rect class="chart-swatch ${escapeXml(s.className)}" width="12" height="4" y="4"/><text x="18" y="10">${escapeXml(s.name)}</text></g>`);
  parts.push(...legend, '</svg>');
  return parts.join('');
}
