import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadSplit } from '../../../datasets/index';
import { formatAgreement, formatDivision } from '../../../datasets/index';
import { findSectionsDir, loadOfficialSections, measureSectionAgreement, normalizeSpace, officialSectionText, tokenF1 } from '../../../datasets/index';
import { divideNote } from '../../../datasets/index';
import { ACI_ROOT, SAMPLE, requireCorpus } from './helpers';

describe('datasets/sectionAgreement', () => {
  it('measures token overlap and reads ACI-BENCH\'s absent-section marker', () => {
    assert.equal(tokenF1('a b c', 'A  b\nc'), 1);
    assert.equal(tokenF1('', ''), 1);
    assert.equal(tokenF1('a b', ''), 0);
    assert.equal(tokenF1('a a b', 'a c'), (2 * 0.5 * (1 / 3)) / (0.5 + 1 / 3));
    assert.equal(officialSectionText('objective_results: #####EMPTY#####.\n'), '');
    assert.equal(officialSectionText(undefined), '');
    assert.equal(officialSectionText('RESULTS\n\nNormal.'), 'RESULTS\n\nNormal.');
    assert.equal(normalizeSpace(' a\n\n b '), 'a b');
  });

  it('divides the sample notes into their sections', () => {
    const e = loadSplit('train', SAMPLE).encounters[1]!;
    const d = divideNote(e.note);
    assert.deepEqual(Object.keys(d), ['subjective', 'objective_exam', 'objective_results', 'assessment_and_plan']);
    assert.match(d.objective_results!.text, /^RESULTS\n\nX-ray of the right knee/);
    const text = formatDivision(e.encounterId, divideNote(loadSplit('train', SAMPLE).encounters[0]!.note));
    assert.match(text, /== objective_results \(absent: this note has no header for it\)/);
  });

  it('finds the official sections next to challenge_data', () => {
    assert.equal(findSectionsDir(requireCorpus()), join(ACI_ROOT, 'sections'));
    assert.equal(findSectionsDir(SAMPLE), undefined);
    assert.throws(() => measureSectionAgreement({ corpusDir: SAMPLE }), /No ACI-BENCH sections folder/);
    const train = loadOfficialSections(join(ACI_ROOT, 'sections'), 'train');
    assert.equal(train.size, 67);
    assert.equal(train.get('D2N021')!.objective_exam, '');
  });

  it('agrees with the official division of train + valid (measured: exact 100/98.9/93.1/92.0 %, presence 100 %)', () => {
    let ticks = 0;
    const r = measureSectionAgreement({ corpusDir: requireCorpus(), progress: { report: () => ticks++ } });
    assert.equal(r.notes, 87);
    assert.equal(ticks, 87);
    assert.deepEqual(r.missingNotes, []);
    const by = Object.fromEntries(r.divisions.map((d) => [d.division, d]));
    // Presence: the tagger finds exactly the sections the official division has (71 results, 83 exams).
    for (const d of r.divisions) assert.equal(d.presenceAgreementRate, 1, d.division);
    assert.equal(by.objective_results!.officialPresent, 71);
    assert.equal(by.objective_exam!.officialPresent, 83);
    // Exact text: the official files were divided with extra rules (an IMPRESSION header starts the
    // assessment), which ACI-BENCH's evaluation tagger does not have; the rest is identical.
    assert.equal(by.subjective!.exactMatchRate, 1);
    for (const d of r.divisions) assert.ok(d.exactMatchRate >= 0.9, `${d.division} exact ${d.exactMatchRate}`);
    for (const d of r.divisions) assert.ok(d.meanTokenF1 >= 0.98, `${d.division} F1 ${d.meanTokenF1}`);
    assert.ok(r.overall.exactMatchRate >= 0.95);
    assert.ok(by.objective_results!.mismatches.includes('D2N005'));
    assert.match(formatAgreement(r), /objective_results\s+81\/87\s+93\.1%\s+100\.0%/);
  });

  it('explains a known difference: IMPRESSION is not a header for the tagger', () => {
    const e = loadSplit('train', requireCorpus()).encounters.find((x) => x.encounterId === 'D2N005')!;
    const official = loadOfficialSections(join(ACI_ROOT, 'sections'), 'train').get('D2N005')!;
    assert.match(divideNote(e.note).objective_results!.text, /IMPRESSION/);
    assert.doesNotMatch(official.objective_results!, /IMPRESSION/);
    assert.match(official.assessment_and_plan!, /^IMPRESSION/);
  });
});
