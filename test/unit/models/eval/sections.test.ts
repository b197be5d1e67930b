import assert from 'node:assert/strict';
import { divideNote, EMPTY_SECTION, HEADER_PHRASES, matchHeader, sectionTextForScoring } from '../../../../datasets/index';

const texts = (note: string) => Object.fromEntries(Object.entries(divideNote(note)).map(([d, s]) => [d, s!.text]));

describe('datasets/sections: ACI-BENCH section tagger', () => {
  it('recognises a header phrase at the start of a line, any case, leading spaces allowed', () => {
    assert.equal(matchHeader('CHIEF COMPLAINT'), 'subjective');
    assert.equal(matchHeader('   chief complaint: knee pain'), 'subjective');
    assert.equal(matchHeader('PHYSICAL EXAMINATION'), 'objective_exam');
    assert.equal(matchHeader('Results:'), 'objective_results');
    assert.equal(matchHeader('ASSESSMENT AND PLAN'), 'assessment_and_plan');
    assert.equal(matchHeader('The plan is to rest.'), undefined);
    assert.equal(matchHeader('PAST MEDICAL HISTORY'), undefined);
    assert.equal(matchHeader(''), undefined);
  });

  it('lets a space in a phrase match any run of whitespace, or none', () => {
    assert.equal(matchHeader('chief \t  complaint'), 'subjective');
    assert.equal(matchHeader('chiefcomplaint'), 'subjective');
    assert.equal(matchHeader('a/p: stable'), 'assessment_and_plan');
    assert.equal(matchHeader('Disposition/Plan:'), 'assessment_and_plan');
  });

  it('accepts a " :" phrase without its colon only when it stands alone on its line', () => {
    assert.equal(matchHeader('Assessment'), 'assessment_and_plan');
    assert.equal(matchHeader('  assessment  '), 'assessment_and_plan');
    assert.equal(matchHeader('a'), 'assessment_and_plan');
    assert.equal(matchHeader('Exam'), 'objective_exam');
    assert.equal(matchHeader('Assessment of the knee shows swelling'), undefined);
    assert.equal(matchHeader('exam was normal'), undefined);
    assert.equal(matchHeader('exam: normal'), 'objective_exam');
  });

  it('tries divisions in table order: the first matching division decides', () => {
    // "history of present illness" is subjective; "physical exam" is objective_exam.
    assert.equal(matchHeader('HISTORY OF PRESENT ILLNESS'), 'subjective');
    // "hpi" (no colon) matches any line starting with those letters, as in the official tagger.
    assert.equal(matchHeader('hpix'), 'subjective');
    // "VITALS REVIEWED" is an exam header, "vitals" alone is not a header.
    assert.equal(matchHeader('VITALS REVIEWED'), 'objective_exam');
    assert.equal(matchHeader('Vitals'), undefined);
  });

  it('exports the phrase table in the official order', () => {
    assert.equal(HEADER_PHRASES.subjective[0], 'cc :');
    assert.equal(HEADER_PHRASES.assessment_and_plan.at(-1), 'ASSESSMENT AND PLAN');
    assert.equal(Object.values(HEADER_PHRASES).flat().length, 19 + 9 + 3 + 13);
  });

  it('puts text before the first header into subjective and cuts at each header line', () => {
    const note = 'Patient is a 40 year old.\nCHIEF COMPLAINT\nKnee pain.\nPHYSICAL EXAM\nSwelling.\nRESULTS\nX-ray normal.\nASSESSMENT AND PLAN\nRest.';
    const d = divideNote(note);
    assert.deepEqual(texts(note), {
      subjective: 'Patient is a 40 year old.\nCHIEF COMPLAINT\nKnee pain.\n',
      objective_exam: 'PHYSICAL EXAM\nSwelling.\n',
      objective_results: 'RESULTS\nX-ray normal.\n',
      assessment_and_plan: 'ASSESSMENT AND PLAN\nRest.',
    });
    assert.equal(d.objective_exam!.start, note.indexOf('PHYSICAL EXAM'));
    assert.equal(d.assessment_and_plan!.end, note.length);
    for (const s of Object.values(d)) assert.equal(note.slice(s!.start, s!.end), s!.text);
  });

  it('adds no subjective section when the note starts with another header', () => {
    assert.deepEqual(texts('ASSESSMENT AND PLAN\nRest.\nPHYSICAL EXAM\nFine.'), { assessment_and_plan: 'ASSESSMENT AND PLAN\nRest.\n', objective_exam: 'PHYSICAL EXAM\nFine.' });
  });

  it('keeps only the first span of each division and folds later ones into the preceding span', () => {
    const note = 'HPI\nPain.\nPHYSICAL EXAM\nSwollen.\nASSESSMENT\nSprain.\nPLAN\nIce.\nEXAM\nRecheck.\nRESULTS\nMRI.';
    assert.deepEqual(texts(note), {
      subjective: 'HPI\nPain.\n',
      objective_exam: 'PHYSICAL EXAM\nSwollen.\n',
      assessment_and_plan: 'ASSESSMENT\nSprain.\nPLAN\nIce.\nEXAM\nRecheck.\n',
      objective_results: 'RESULTS\nMRI.',
    });
  });

  it('sorts kept spans by position, not by division order', () => {
    const note = 'RESULTS\nLab.\nHPI\nHistory.';
    assert.deepEqual(texts(note), { objective_results: 'RESULTS\nLab.\n', subjective: 'HPI\nHistory.' });
  });

  it('gives an empty note an empty subjective section and nothing else', () => {
    assert.deepEqual(divideNote(''), { subjective: { start: 0, end: 0, text: '' } });
    assert.deepEqual(texts('Just one line of text.'), { subjective: 'Just one line of text.' });
  });

  it('prepares section text for scoring like the official script', () => {
    assert.equal(sectionTextForScoring('A\nB\n'), 'A__lf1__B__lf1__');
    assert.equal(sectionTextForScoring(undefined), EMPTY_SECTION);
    assert.equal(sectionTextForScoring(undefined), '#####EMPTY#####');
    assert.equal(sectionTextForScoring(''), '');
  });
});
