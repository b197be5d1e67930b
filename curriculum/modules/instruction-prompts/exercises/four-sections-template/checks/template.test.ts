import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { checkTemplate, loadSplit, matchHeader, resolveCorpusDir, TAGGER_ORDER, type Encounter } from 'medigen-lab';

interface Student {
  renderFor(encounter: Encounter): string;
}
let student: Remote<Student>;
let template: string;
before(async () => {
  student = await loadStudent<Student>('template.ts');
  template = (await student.get('TEMPLATE')) as string;
});
after(() => student?.close());

// Made-up encounters the student has not seen.
const ENCOUNTERS: Encounter[] = [
  { dataset: 'aci', encounterId: 'X101', dialogue: '[doctor] what brings you in ?\n[patient] my ankle , i twisted it playing football .', note: '' },
  { dataset: 'virtscribe', encounterId: 'X102', dialogue: '[doctor] patient is a 70-year-old woman with copd .\n[patient] i get short of breath on the stairs .', note: '' },
];

describe('four-sections-template', () => {
  it('TEMPLATE is a template the library accepts', () => {
    assert.equal(typeof template, 'string', `TEMPLATE should be a text, got ${JSON.stringify(template)}`);
    try {
      checkTemplate(template);
    } catch (e) {
      assert.fail(`TEMPLATE: ${(e as Error).message} ${(e as { hint?: string }).hint ?? ''}`.trim());
    }
    assert.match(template, /\{\{\s*dialogue\s*\}\}/, `TEMPLATE should contain {{dialogue}}, got ${JSON.stringify(template)}`);
  });

  it('TEMPLATE names the four sections on their own lines, in ACI-BENCH order', () => {
    const found: string[] = [];
    for (const line of String(template).split('\n')) {
      const d = matchHeader(line);
      if (d && !found.includes(d)) found.push(d);
    }
    // A header with something before it (1., -, **, #) is not found: the tagger reads a header only at the start of its line.
    const decorated = String(template).split('\n').filter((line) => !matchHeader(line) && matchHeader(line.replace(/^[\s\d.)#*>_-]+/, '')));
    const why = decorated.length ? ` The line ${JSON.stringify(decorated[0])} has something before the header (a number, a dash, # or **): the benchmark's tagger only finds a header that starts its line, so write the header alone on its line, e.g. ${JSON.stringify(decorated[0]!.replace(/^[\s\d.)#*>_-]+/, '').replace(/[*_]+\s*$/, ''))}.` : '';
    assert.deepEqual(found, [...TAGGER_ORDER], `TEMPLATE: the benchmark's tagger should find header lines for ${TAGGER_ORDER.join(', ')} in this order, but found ${found.length ? found.join(', ') : 'no header line'}.${why}`);
  });

  it('renderFor puts each new encounter\'s dialogue into the template exactly once', async () => {
    for (const e of ENCOUNTERS) {
      const got = await student.renderFor(e);
      assert.equal(typeof got, 'string', `renderFor(${e.encounterId}) should give a text, got ${JSON.stringify(got)}`);
      assert.equal(got.split(e.dialogue).length - 1, 1, `renderFor(${e.encounterId}) should contain the dialogue once, got:\n${got}`);
      assert.ok(!/\{\{|\}\}/.test(got), `renderFor(${e.encounterId}) should fill in every placeholder, got:\n${got}`);
    }
  });

  it('renderFor gives the same instruction around every dialogue of the corpus', async () => {
    const encounters = loadSplit('valid', resolveCorpusDir()).encounters.slice(0, 5);
    const around = new Set<string>();
    for (const e of encounters) around.add((await student.renderFor(e)).replace(e.dialogue, '<dialogue>'));
    assert.equal(around.size, 1, `renderFor should wrap each dialogue in the same instruction; it gave ${around.size} different ones`);
  });
});
