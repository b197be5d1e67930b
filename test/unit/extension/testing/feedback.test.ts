import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { failureView, readablePaths } from '../../../../extension/testing/feedback';
import { compactDiff, aroundFirstDifference, VALUE_CHARS, DIFF_LINES } from '../../../../curriculum/engine/index';
import { failureItemHtml } from '../../../../extension/lesson/failures';

// The check process turns assertion values into text this way (curriculum/engine/checkChild.ts).
const show = (v: unknown) => inspect(v, { depth: 6, breakLength: 100, maxArrayLength: 50, maxStringLength: 2000, sorted: true });

/** The error a real node:assert call throws. */
function thrown(fn: () => void): { message: string; expected: string; actual: string } {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { expected: unknown; actual: unknown };
    return { message: err.message, expected: show(err.expected), actual: show(err.actual) };
  }
  throw new Error('did not throw');
}

describe('lesson card feedback for a failed check', () => {
  it('shows expected and actual instead of stopping at "Expected values to be strictly deep-equal:"', () => {
    const e = thrown(() => assert.deepStrictEqual({ doctor: 12, patient: 9 }, { doctor: 12, patient: 10 }));
    const v = failureView({ title: 'counts turns', ...e });
    assert.doesNotMatch(v.message, /strictly deep-equal/);
    assert.equal(v.expected, '{ doctor: 12, patient: 10 }');
    assert.equal(v.actual, '{ doctor: 12, patient: 9 }');
    const html = failureItemHtml(v);
    assert.match(html, /Expected<\/dt><dd><code>\{ doctor: 12, patient: 10 \}<\/code>/);
    assert.match(html, /Your code gave<\/dt><dd><code>\{ doctor: 12, patient: 9 \}<\/code>/);
  });

  it("shows a check author's message over its lines (a first difference explained below it), not only its first", () => {
    const v = failureView({ title: 'numbers the placeholders', message: 'okonkwo should be [NAME 1] both times.\nThe first difference is on line 1 of 8:\n  expected:  mister [NAME 1]\n  your text: mister <NAME 2>' });
    assert.equal(v.message.split('\n').length, 4);
    assert.equal(v.expected, undefined);
    assert.equal(failureItemHtml(v), '<li><strong>numbers the placeholders</strong>: okonkwo should be [NAME 1] both times.<br>The first difference is on line 1 of 8:<br>  expected:  mister [NAME 1]<br>  your text: mister &lt;NAME 2&gt;</li>');
  });

  it('gives a compact diff of only the differing lines for values over several lines', () => {
    const big = (n: number) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`encounter${String(i).padStart(2, '0')}`, { turns: i === 17 ? n : i, speaker: 'doctor' }]));
    const e = thrown(() => assert.deepStrictEqual(big(99), big(17)));
    assert.ok(e.expected.split('\n').length > 20, 'the values span many lines');
    const v = failureView({ title: 'deep', ...e });
    assert.ok(v.diff, 'a diff');
    assert.ok(v.diff.length <= DIFF_LINES);
    assert.deepEqual(v.diff.filter((l) => l.kind !== 'same').map((l) => [l.kind, l.text.trim()]), [['expected', "encounter17: { speaker: 'doctor', turns: 17 },"], ['actual', "encounter17: { speaker: 'doctor', turns: 99 },"]]);
    assert.match(failureItemHtml(v), /<span class="diff-expected">- {2,}encounter17/);
  });

  it('cuts long one-line values around the first difference', () => {
    const a = `${'x'.repeat(500)}A${'y'.repeat(500)}`;
    const b = `${'x'.repeat(500)}B${'y'.repeat(500)}`;
    const v = aroundFirstDifference(a, b);
    assert.ok(v.expected.length <= VALUE_CHARS + 2 && v.actual.length <= VALUE_CHARS + 2);
    assert.match(v.expected, /^…x+Ay+…$/);
    assert.match(v.actual, /^…x+By+…$/);
    const many = compactDiff(Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'), Array.from({ length: 40 }, (_, i) => `LINE ${i}`).join('\n'));
    assert.equal(many.lines.length, DIFF_LINES);
    assert.equal(many.more, 80 - DIFF_LINES);
  });

  it('shows paths relative to the exercise folder and no temporary folder', () => {
    const work = '/home/ana/MediGenLab/meet-the-data/load-a-split';
    assert.equal(readablePaths(`Cannot read ${work}/split.ts: line 3`, work), 'Cannot read split.ts: line 3');
    assert.equal(readablePaths(`nothing in ${work}`, work), 'nothing in your exercise folder');
    assert.equal(readablePaths('TODO: count encounters of train in /tmp/meet-the-data-ntFCXq (so far: {})', undefined, '/tmp'), 'TODO: count encounters of train in a temporary test folder (so far: {})');
    assert.equal(readablePaths('read /tmp/meet-the-data-ntFCXq/train.csv.', undefined, '/tmp/'), 'read a temporary test folder.');
  });

  it('keeps the message of a plain failure and escapes what it shows', () => {
    const v = failureView({ title: 'a <b>', message: 'the count of encounters is wrong\nmore detail' });
    assert.deepEqual(v, { title: 'a <b>', message: 'the count of encounters is wrong\nmore detail' });
    assert.equal(failureItemHtml(v), '<li><strong>a &lt;b&gt;</strong>: the count of encounters is wrong<br>more detail</li>');
  });

  it('says in plain words what the errors of JavaScript itself mean, below the message', () => {
    // Node's real messages, from code a beginner writes.
    const err = (code: string) => {
      try {
        new Function(code)();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('did not throw');
    };
    const push = failureView({ title: 'lists the details', message: err('const details = []; push(1); return details;') });
    assert.equal(push.message, 'push is not defined');
    assert.match(push.plain!, /^push belongs to a list: write it after the list .*details\.push\(…\)/);
    const html = failureItemHtml(push);
    assert.match(html, /<strong>lists the details<\/strong>: push is not defined<p class="plain">push belongs to a list/);
    assert.match(failureView({ title: 't', message: err('return turnz.length;') }).plain!, /uses the name turnz, but nothing called turnz exists/);
    assert.match(failureView({ title: 't', message: err('const t = undefined; return t.speaker;') }).plain!, /asked for \.speaker of something that is undefined/);
    assert.match(failureView({ title: 't', message: err('const n = 1; n = 2;') }).plain!, /made with const cannot be given a new value/);
    assert.match(failureView({ title: 't', message: err('const n = 3; return n();') }).plain!, /calls n\(…\) as if it were a function/);
    assert.match(failureView({ title: 't', message: err('for (const x of 5) {}') }).plain!, /for … of goes through a list/);
    assert.match(failureView({ title: 't', message: err('x; const x = 1;') }).plain!, /x is used on a line above the one that creates it/);
    // Values a division gone wrong makes, as the value the code gave or in the check's words.
    assert.match(failureView({ title: 't', message: 'Expected values to be strictly equal:\n\nNaN !== 0.5\n', expected: '0.5', actual: 'NaN' }).plain!, /^NaN means "not a number"\. JavaScript gives it for arithmetic with a value that is undefined: a count that never started at 0.*0 \/ 0/);
    assert.match(failureView({ title: 't', message: 'the prompt', expected: "'Write the note.\\n\\n[doctor] hi'", actual: "'undefined\\n\\nundefined'" }).plain!, /^Your text contains the word "undefined"/);
    assert.match(failureView({ title: 't', message: 'the share should be 0 for an empty text; your code gave Infinity' }).plain!, /^Infinity comes from dividing a number by 0/);
    assert.equal(failureView({ title: 't', message: "the field is called 'NaNa'" }).plain, undefined);
    // Nothing where a value was expected: a function without return.
    assert.match(failureView({ title: 't', message: 'should give one text per step (4 steps), got undefined', expected: '4', actual: 'undefined' }).plain!, /^undefined means "nothing": your code gave back no value here\. A function without return gives back undefined/);
    assert.match(failureView({ title: 't', message: 'the prompt of SYN004 is 1309 tokens, your code gave undefined' }).plain!, /^undefined means "nothing"/);
    // An entry named undefined: a misspelled field used as a name, or for … in.
    assert.match(failureView({ title: 't', message: 'the counts per dataset', expected: '{ aci: 4, virtscribe: 3 }', actual: '{ undefined: 7 }' }).plain!, /^Your result has an entry named undefined: .*counts\[encounter\.Dataset\].*for … in/);
    assert.match(failureView({ title: 't', message: 'x', expected: '{"a":1}', actual: '{"undefined":NaN}' }).plain!, /^Your result has an entry named undefined/);
    // Texts that differ only in blank space at their ends.
    assert.match(failureView({ title: 't', message: 'the note of SYN004', expected: "' abdom RA pain'", actual: "'abdom RA pain'" }).plain!, /^The two texts differ only in blank space at their start or end/);
    assert.match(failureView({ title: 't', message: 'x', expected: "'note\\n'", actual: "'note'" }).plain!, /^The two texts differ only in blank space/);
    assert.equal(failureView({ title: 't', message: 'x', expected: "'a b'", actual: "'a  b'" }).plain, undefined);
    // The starter's placeholder.
    assert.match(failureView({ title: 't', message: 'TODO: count the turns in these 7 lines (so far: {})' }).plain!, /^This is the starter's placeholder: the function has not been written yet/);
    // Any other message gets nothing added.
    assert.equal(failureView({ title: 't', message: 'Not written yet: countTurns in turns.ts still throws.' }).plain, undefined);
    assert.equal(failureView({ title: 't', message: 'countTurns is not a function your file exports (it is a undefined).' }).plain, undefined);
  });
});
