/**
 * What the note editor shows of a generated note's scores: score formatting, the section header
 * lines (with ACI-BENCH's tagger rules), and the CodeLens lines built from real scores of sample notes.
 */
import assert from 'node:assert/strict';
import { loadSplit } from '../../../../datasets/index';
import { divideNote } from '../../../../datasets/index';
import { evaluateNotes } from '../../../../models/eval/index';
import { formatScores, headerLines, lensSpecs, scoreNote } from '../../../../models/generation/index';

describe('generation: score formatting', () => {
  it('prints F1 × 100 with two decimals, as the ACI-BENCH paper does', () => {
    const s = { rouge1: 0.412049, rouge2: 0.1205, rougeL: 0.25, rougeLsum: 1 };
    assert.equal(formatScores(s), 'ROUGE-1 41.20 · ROUGE-2 12.05 · ROUGE-L 25.00');
    assert.equal(formatScores(s, true), 'ROUGE-1 41.20 · ROUGE-2 12.05 · ROUGE-L 25.00 · ROUGE-Lsum 100.00');
    assert.equal(formatScores({ rouge1: 0, rouge2: NaN, rougeL: 0, rougeLsum: 0 }), 'ROUGE-1 0.00 · ROUGE-2 – · ROUGE-L 0.00');
  });
});

describe('generation: section header lines', () => {
  it('finds each header and the section it starts', () => {
    const note = 'CHIEF COMPLAINT\n\nKnee pain.\n\nHISTORY OF PRESENT ILLNESS\n\nTwo weeks.\n\nPHYSICAL EXAMINATION\n\nSwollen.\n\nRESULTS\n\nX-ray normal.\n\nASSESSMENT AND PLAN\n\nRest.';
    assert.deepEqual(
      headerLines(note).map((h) => [h.line, h.text, h.division, h.scoredIn, h.starts]),
      [
        [0, 'CHIEF COMPLAINT', 'subjective', 'subjective', true],
        [4, 'HISTORY OF PRESENT ILLNESS', 'subjective', 'subjective', false],
        [8, 'PHYSICAL EXAMINATION', 'objective_exam', 'objective_exam', true],
        [12, 'RESULTS', 'objective_results', 'objective_results', true],
        [16, 'ASSESSMENT AND PLAN', 'assessment_and_plan', 'assessment_and_plan', true],
      ],
    );
  });

  it('scores a repeated or out-of-order header inside the section before it, as the tagger does', () => {
    const note = 'Seen today.\nCHIEF COMPLAINT\nCough.\nPHYSICAL EXAM\nClear.\nREVIEW OF SYSTEMS\nNo fever.\nASSESSMENT AND PLAN\nViral.\nplan\nFluids.';
    const lines = headerLines(note);
    assert.deepEqual(
      lines.map((h) => [h.line, h.division, h.scoredIn, h.starts]),
      [
        [1, 'subjective', 'subjective', false],
        [3, 'objective_exam', 'objective_exam', true],
        [5, 'subjective', 'objective_exam', false],
        [7, 'assessment_and_plan', 'assessment_and_plan', true],
        [9, 'assessment_and_plan', 'assessment_and_plan', false],
      ],
    );
    // The same spans as the official tagger's.
    const sections = divideNote(note);
    const offsetOf = (line: number) => note.split('\n').slice(0, line).join('\n').length + (line ? 1 : 0);
    for (const h of lines.filter((x) => x.starts)) assert.equal(sections[h.scoredIn]!.start, offsetOf(h.line));
    assert.equal(sections.subjective!.start, 0);
  });

  it('finds nothing in a note without headers', () => {
    assert.deepEqual(headerLines('just some words\nand more'), []);
  });
});

describe('generation: CodeLens lines from real scores', () => {
  const train = loadSplit('train').encounters;
  const withResults = train.find((e) => divideNote(e.note).objective_results)!;

  it('scores a note the same as evaluateNotes, and the reference itself at 100 everywhere', async () => {
    const generated = withResults.note.split('\n').slice(0, 12).join('\n');
    const mine = await scoreNote(generated, withResults, 'train');
    const ev = await evaluateNotes([withResults], [{ note: generated }]);
    assert.equal(mine.full.rouge1, ev.notes[0]!.full.rouge1.fmeasure);
    assert.equal(mine.sections.assessment_and_plan.rougeL, ev.notes[0]!.sections.assessment_and_plan.rougeL.fmeasure);
    const perfect = await scoreNote(withResults.note, withResults);
    const specs = lensSpecs(withResults.note, perfect);
    assert.equal(specs[0]!.title, `Whole note vs ${withResults.encounterId}: ROUGE-1 100.00 · ROUGE-2 100.00 · ROUGE-L 100.00 · ROUGE-Lsum 100.00`);
    const sectionLenses = specs.filter((s) => /^(Subjective|Objective: exam|Objective: results|Assessment and plan): ROUGE/.test(s.title));
    assert.equal(sectionLenses.length, 4);
    for (const s of sectionLenses) assert.match(s.title, /ROUGE-1 100\.00 · ROUGE-2 100\.00 · ROUGE-L 100\.00$/);
  });

  it('puts each section lens on its header line and names the sections the note lacks', async () => {
    const note = withResults.note.replace(/\nRESULTS\n[\s\S]*?(?=\nASSESSMENT AND PLAN)/, '\n');
    assert.ok(!divideNote(note).objective_results && note.includes('ASSESSMENT AND PLAN'), 'the RESULTS section was not removed');
    const scores = await scoreNote(note, withResults, 'train');
    assert.equal(scores.sections.objective_results.inNote, false);
    assert.equal(scores.sections.objective_results.inReference, true);
    assert.equal(scores.sections.objective_results.rouge1, 0);
    const specs = lensSpecs(note, scores);
    assert.ok(specs.some((s) => s.line === 0 && s.title === 'Lacks Objective: results (scores 0)'), JSON.stringify(specs));
    const lines = note.split('\n');
    const ap = specs.find((s) => s.title.startsWith('Assessment and plan: ROUGE-1'))!;
    assert.equal(lines[ap.line], 'ASSESSMENT AND PLAN');
    const hpi = specs.find((s) => lines[s.line] === 'HISTORY OF PRESENT ILLNESS')!;
    assert.equal(hpi.title, 'Scored within Subjective (above)');
  });

  it('shows the subjective score at the top when text comes before the first header', async () => {
    const note = `Seen in clinic today.\n${withResults.note}`;
    const specs = lensSpecs(note, await scoreNote(note, withResults));
    assert.ok(specs.some((s) => s.line === 0 && s.title.startsWith('Subjective (text before the first header): ROUGE-1 ')), JSON.stringify(specs.map((s) => s.title)));
  });
});
