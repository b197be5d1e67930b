import assert from 'node:assert/strict';
import type { Encounter } from '../../../../datasets/index';
import { evaluateNotes, formatTable, toHtml, toJson, toMarkdown } from '../../../../models/eval/index';

const gold: Encounter[] = [
  { dataset: 'aci', encounterId: '<script>alert(1)</script>', dialogue: 'a b c', note: 'HPI\nKnee pain.\nPLAN\nRest.' },
  { dataset: 'vir|tassist', encounterId: 'D2', dialogue: 'a b', note: 'HPI\nCough.' },
];
const preds = [
  { encounterId: '<script>alert(1)</script>', note: 'HPI\nKnee pain.' },
  { encounterId: 'D2', note: 'Fever.' },
];

describe('models/eval: reports', () => {
  it('writes a self-contained HTML report: escaped text, no scripts, no remote resources', async () => {
    const html = toHtml(await evaluateNotes(gold, preds));
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!/<script/i.test(html), 'no script element (the encounter id is escaped)');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!/(src|href)\s*=/i.test(html), 'no external resources or links');
    assert.ok(!/https?:\/\//.test(html));
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /What the numbers mean/);
    assert.match(html, /rougeLsum/);
    // the worst note comes first in the per-note table
    assert.ok(html.indexOf('<td>D2</td>') < html.indexOf('&lt;script&gt;alert(1)&lt;/script&gt;</td>'));
  });

  it('writes Markdown tables with escaped cells and every note', async () => {
    const md = toMarkdown(await evaluateNotes(gold, preds));
    assert.match(md, /^# Evaluation report/);
    assert.match(md, /\| vir\\\|tassist \| 1 \|/);
    assert.match(md, /## Every note, lowest rougeLsum first/);
    assert.equal(md.split('\n').filter((l) => l.startsWith('| D2 ') || l.startsWith('| <script>')).length, 2);
  });

  it('prints a terminal summary and the official-shaped JSON', async () => {
    const ev = await evaluateNotes(gold, preds);
    const table = formatTable(ev);
    assert.match(table, /2 notes, matched by encounter_id/);
    assert.match(table, /All notes\s+2\s+\d+\.\d\d/);
    assert.match(table, /Lowest-scoring notes/);
    assert.deepEqual(JSON.parse(toJson(ev)), JSON.parse(JSON.stringify(ev.results)));
  });

  it('metadata groups: "male" and "male " are one group, no #####EMPTY##### group, and the worst notes come before them', async () => {
    const g: Encounter[] = [
      { dataset: 'aci', encounterId: 'A', dialogue: 'x', note: 'HPI\nKnee pain.', metadata: { patient_gender: 'male', cc: 'knee pain' } },
      { dataset: 'aci', encounterId: 'B', dialogue: 'x', note: 'HPI\nCough.', metadata: { patient_gender: 'male ', cc: '' } },
      { dataset: 'aci', encounterId: 'C', dialogue: 'x', note: 'HPI\nFever.', metadata: { patient_gender: 'female', cc: 'fever' } },
    ];
    const ev = await evaluateNotes(g, [{ encounterId: 'A', note: 'HPI\nKnee pain.' }, { encounterId: 'B', note: '' }, { encounterId: 'C', note: 'Fever today.' }]);
    assert.ok(Object.keys(ev.results).some((k) => k.startsWith('patient_gender-male (')), 'the JSON keeps ACI-BENCH\'s own groups');
    for (const text of [toMarkdown(ev), toHtml(ev)]) {
      assert.ok(!text.includes('#####EMPTY#####'), 'no EMPTY group');
      assert.ok(!text.includes('| male  |') && !text.includes('<td>male </td>'), 'no separate "male " group');
      assert.ok(text.indexOf('Every note, lowest rougeLsum first') < text.indexOf('By patient gender'), 'worst notes first');
    }
    assert.match(toMarkdown(ev), /\| male \| 2 \|/);
    const html = toHtml(ev);
    assert.match(html, /<td>male<\/td><td>2<\/td>/);
    assert.match(html, /<div class="wide"><table>/, 'wide tables scroll instead of overflowing the page');
    assert.match(html, /<strong>Generated<\/strong><pre>\(blank\)<\/pre>.*<strong>Reference<\/strong><pre>HPI\nCough\.<\/pre>/s, 'the notes themselves are visible');
    assert.match(toMarkdown(ev), /### B \(rougeLsum 0\.00\)\n\n\*\*Generated:\*\*\n\n```text\n\(blank\)/);
  });
});
