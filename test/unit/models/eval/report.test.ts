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
});
