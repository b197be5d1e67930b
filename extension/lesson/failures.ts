/**
 * A failed check as the lesson card shows it, and its HTML. Plain TypeScript with no imports:
 * the extension draws the first page with it (html.ts) and the page script redraws with the same
 * function (webviews/lesson/main.ts), so both always show the same thing.
 */

/** One line of a compact diff: in both values, only in the expected one, or only in what the code gave. */
export interface FailureDiffLine {
  kind: 'same' | 'expected' | 'actual';
  text: string;
}

/** One failed check on the card (built by extension/testing/feedback.ts). */
export interface CheckFailureView {
  title: string;
  /** What went wrong, readable: the check's message, its lines separated by \n (at most MESSAGE_LINES, see checkMessageLines). */
  message: string;
  /** For JavaScript's own errors ("push is not defined"): what that means, in plain words, and what to try. */
  plain?: string;
  /** What the check expected and what the code gave, each one short line. */
  expected?: string;
  actual?: string;
  /** For values over several lines: only the lines that differ (with a line of context). */
  diff?: FailureDiffLine[];
  /** How many more differing lines there are than `diff` shows. */
  diffMore?: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const MARK: Record<FailureDiffLine['kind'], string> = { same: '  ', expected: '- ', actual: '+ ' };

/** The `<li>` of one failed check (every value escaped). */
export function failureItemHtml(f: CheckFailureView): string {
  let values = '';
  if (f.expected !== undefined && f.actual !== undefined) {
    values = `<dl class="values"><dt>Expected</dt><dd><code>${esc(f.expected)}</code></dd><dt>Your code gave</dt><dd><code>${esc(f.actual)}</code></dd></dl>`;
  } else if (f.diff?.length) {
    const lines = f.diff.map((l) => `<span class="diff-${l.kind}">${esc(MARK[l.kind] + l.text)}</span>`).join('\n');
    const more = f.diffMore ? `\n<span class="diff-more">… ${f.diffMore} more line${f.diffMore === 1 ? '' : 's'} differ</span>` : '';
    values = `<p class="diff-legend"><span class="diff-expected">- expected</span> <span class="diff-actual">+ your code gave</span></p><pre class="diff">${lines}${more}</pre>`;
  }
  const plain = f.plain ? `<p class="plain">${esc(f.plain)}</p>` : '';
  // A check's own message may explain on several lines (feedback.ts keeps at most MESSAGE_LINES).
  return `<li><strong>${esc(f.title)}</strong>: ${f.message.split('\n').map(esc).join('<br>')}${plain}${values}</li>`;
}
