import assert from 'node:assert/strict';
import { loadSplit } from '../../../datasets/index';
import {
  PREPROCESS_STEPS,
  enabledSteps,
  explainPreprocessing,
  fixAsrPunctuationSpacing,
  joinSplitContractions,
  normalizeSpecialChars,
  normalizeSpeakerTags,
  normalizeWhitespace,
  preprocessEncounters,
  preprocessText,
} from '../../../datasets/index';
import { parseTurns } from '../../../datasets/index';
import { SAMPLE, requireCorpus } from './helpers';

describe('datasets/preprocess', () => {
  it('fixes ASR spacing before punctuation', () => {
    assert.equal(fixAsrPunctuationSpacing('i , i just'), 'i, i just');
    assert.equal(fixAsrPunctuationSpacing('okay .'), 'okay.');
    assert.equal(fixAsrPunctuationSpacing('[doctor] how are you ?\n[patient] fine , thanks .'), '[doctor] how are you?\n[patient] fine, thanks.');
    assert.equal(fixAsrPunctuationSpacing('well . . . okay'), 'well... okay');
  });

  it('leaves decimals, abbreviations, times and ratios alone', () => {
    const kept = 'take .5 mg or 7.2 units , dr. smith said at 10:30 , bp 120/80 , e.g. now';
    assert.equal(fixAsrPunctuationSpacing(kept), 'take .5 mg or 7.2 units, dr. smith said at 10:30, bp 120/80, e.g. now');
    assert.equal(fixAsrPunctuationSpacing('[doctor] . hi'), '[doctor] . hi');
  });

  it('normalizes special characters and whitespace', () => {
    assert.equal(normalizeSpecialChars('it\u2019s \u201Cfine\u201D \u2013 really\u00A0now\u200B\u2026'), 'it\'s "fine" - really now...');
    assert.equal(normalizeWhitespace('  a \t b  \r\n\r\n\r\n\nc  '), 'a b\n\nc');
  });

  it('has optional steps that are off by default', () => {
    assert.equal(joinSplitContractions("i do n't know , i 'm gon na go"), "i don't know , i'm gonna go");
    assert.equal(normalizeSpeakerTags('[ Doctor ] hi\n[Patient Guest] yo'), '[doctor] hi\n[patient_guest] yo');
    assert.deepEqual(enabledSteps().map((s) => s.name), ['normalizeSpecialChars', 'fixAsrPunctuationSpacing', 'normalizeWhitespace']);
    assert.equal(preprocessText("i do n't , know"), "i do n't, know");
    assert.equal(preprocessText("i do n't , know", { joinSplitContractions: true }), "i don't, know");
  });

  it('runs only the steps switched on, and rejects unknown step names', () => {
    const text = 'hi , there\u00A0 .';
    assert.equal(preprocessText(text, { fixAsrPunctuationSpacing: false, normalizeSpecialChars: false, normalizeWhitespace: false }), text);
    assert.equal(preprocessText(text, { normalizeSpecialChars: false }), 'hi, there\u00A0 .', 'a non-breaking space is only fixed by normalizeSpecialChars');
    assert.equal(preprocessText(text), 'hi, there.');
    assert.throws(() => preprocessText(text, { nope: true } as never), (e: Error) => /^"nope" is not a preprocessing step\.$/.test(e.message));
    assert.throws(() => preprocessText(text, { normalizeSpeakerTag: true } as never), /"normalizeSpeakerTag" is not a preprocessing step\. Did you mean "normalizeSpeakerTags"\?/);
    assert.throws(() => preprocessText(text, { dropemptylines: true } as never), /Did you mean "dropEmptyLines"\?/);
    // A value that is not true or false is refused rather than taken as on.
    assert.throws(() => preprocessText(text, { dropEmptyLines: 'yes' } as never), /The step "dropEmptyLines" is set to "yes"; a step is switched on with true or off with false\./);
    for (const s of PREPROCESS_STEPS) assert.ok(s.description.length > 40, `${s.name} needs a description`);
  });

  it('explains each step with the lines it changed', () => {
    const ex = explainPreprocessing('[doctor] hi , nora .\n[patient] hi\u2019 .');
    const asr = ex.steps.find((s) => s.step === 'fixAsrPunctuationSpacing')!;
    assert.deepEqual(asr.changes.map((c) => c.line), [1, 2]);
    assert.equal(asr.changes[0]!.before, '[doctor] hi , nora .');
    assert.equal(asr.changes[0]!.after, '[doctor] hi, nora.');
    assert.equal(ex.after, "[doctor] hi, nora.\n[patient] hi'.");
  });

  it('keeps every speaker turn of the real corpus and leaves notes alone by default', () => {
    const { encounters } = loadSplit('train', requireCorpus());
    let reported = 0;
    const out = preprocessEncounters(encounters, { progress: { report: () => reported++ } });
    assert.equal(reported, encounters.length);
    out.forEach((p, k) => {
      const before = parseTurns(encounters[k]!.dialogue).turns.map((t) => t.speaker);
      assert.deepEqual(parseTurns(p.dialogue).turns.map((t) => t.speaker), before, p.encounterId);
      assert.equal(p.note, encounters[k]!.note);
      assert.doesNotMatch(p.dialogue, /[^\]\s] [,.?!](?= |\n|$)/);
    });
    // Dialogues with ASR spacing change; the unpunctuated ASR ones (e.g. D2N033) have nothing to fix.
    const spaced = encounters.filter((e) => / [,.?] /.test(e.dialogue));
    assert.ok(spaced.length > 30 && spaced.length < encounters.length);
    out.forEach((p, k) => assert.equal(p.dialogue !== encounters[k]!.dialogue, / [,.?](?= |\n|$)/.test(encounters[k]!.dialogue.replace(/\] [,.?]/g, ']')) || /  |\s$|\n\n/.test(encounters[k]!.dialogue), p.encounterId));
  });

  it('stops when the signal aborts', () => {
    const { encounters } = loadSplit('train', SAMPLE);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => preprocessEncounters(encounters, { signal: ac.signal }), /cancelled/);
  });
});
