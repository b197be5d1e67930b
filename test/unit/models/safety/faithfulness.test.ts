import assert from 'node:assert/strict';
import { findNumbers, indexDialogue, splitSentences, traceFaithfulness, words } from '../../../../models/safety/index';

const DIALOGUE = [
  '[doctor] hi , how are you doing today ?',
  '[patient] not great . my right knee has been hurting for about three weeks .',
  '[doctor] okay . and are you still taking the lisinopril ?',
  '[patient] yes , twenty milligrams , twice a day .',
  '[doctor] any chest pain ?',
  '[patient] yes , a little bit when i climb stairs .',
  '[doctor] any shortness of breath ?',
  '[patient] no .',
  '[doctor] your blood pressure is one twenty over eighty , and you have a history of high blood pressure .',
].join('\n');

function trace(note: string) {
  return traceFaithfulness(DIALOGUE, note);
}

describe('models/safety: faithfulness tracing on hand-made cases', () => {
  it('reads numbers said the ASR way: "twenty milligrams", "one twenty over eighty", "fifty four", "two point five"', () => {
    const values = (t: string) => findNumbers(words(t)).map((m) => m.value);
    assert.ok(values('twenty milligrams').includes(20));
    assert.ok(values('one twenty over eighty').includes(120));
    assert.ok(values('one twenty over eighty').includes(80));
    assert.ok(values('she is fifty four years old').includes(54));
    assert.ok(values('two point five of norvasc').includes(2.5));
    assert.ok(values('a hundred and fifty').includes(150));
  });

  it('supports a sentence whose details were said in other words ("20 mg" / "twenty milligrams", "BID" / "twice a day")', () => {
    const [s] = trace('He takes lisinopril 20 mg BID.');
    assert.equal(s!.supported, true, JSON.stringify(s!.issues));
    assert.deepEqual(s!.issues, []);
    assert.ok(s!.evidence.includes(3), `evidence ${s!.evidence} should include turn 3`);
  });

  it('flags a changed dose, with the detail as written in the note', () => {
    const [s] = trace('He takes lisinopril 40 mg twice a day.');
    assert.equal(s!.supported, false);
    assert.deepEqual(s!.issues, [{ kind: 'number', text: '40 mg' }]);
  });

  it('flags a frequency that was not said', () => {
    const [s] = trace('He takes lisinopril 20 mg three times a day.');
    assert.ok(s!.issues.length > 0 && s!.issues.every((i) => i.kind === 'number'), JSON.stringify(s!.issues));
    assert.ok(s!.issues.some((i) => /three times a day/.test(i.text)), JSON.stringify(s!.issues));
  });

  it('flags a flipped side and accepts the side that was said', () => {
    assert.deepEqual(trace('Right knee pain for 3 weeks.')[0]!.issues, []);
    const [s] = trace('Left knee pain for 3 weeks.');
    assert.deepEqual(s!.issues.map((i) => i.kind), ['side']);
    assert.match(s!.issues[0]!.text, /^Left/);
  });

  it('flags a duration that was not said, but not "all right" or "right now" as sides', () => {
    assert.deepEqual(trace('Right knee pain for 5 weeks.')[0]!.issues, [{ kind: 'number', text: '5 weeks' }]);
    const dlg = '[doctor] all right , let us look at it right now .\n[patient] okay .';
    assert.deepEqual(traceFaithfulness(dlg, 'We looked at it right now.')[0]!.issues, []);
  });

  it('flags a medication the dialogue never names', () => {
    const [s] = trace('Continue losartan 20 mg twice a day.');
    assert.deepEqual(s!.issues, [{ kind: 'medication', text: 'losartan' }]);
  });

  it('flags an invented history item, and accepts one said in lay words ("high blood pressure" for hypertension)', () => {
    assert.deepEqual(trace('He has a history of hypertension.')[0]!.issues, []);
    const [s] = trace('He has a history of hypertension and gout.');
    assert.equal(s!.supported, false);
    assert.deepEqual(s!.issues.map((i) => i.kind), ['diagnosis']);
    assert.match(s!.issues[0]!.text, /gout/);
  });

  it('flags a negation that flips what the patient said, and not one that matches it', () => {
    assert.deepEqual(trace('Denies shortness of breath.')[0]!.issues, []);
    const [s] = trace('Denies chest pain.');
    assert.deepEqual(s!.issues.map((i) => i.kind), ['negation']);
  });

  it('gives each sentence exactly as it stands in the note, with offsets, and leaves section headers out', () => {
    const note = 'HISTORY OF PRESENT ILLNESS\n\nMr. Smith reports right knee pain. He takes lisinopril 20 mg BID.\n• Vitals: BP 120/80.';
    const traced = traceFaithfulness(DIALOGUE, note);
    assert.deepEqual(traced.map((s) => s.text), ['Mr. Smith reports right knee pain.', 'He takes lisinopril 20 mg BID.', 'Vitals: BP 120/80.']);
    for (const s of traced) assert.equal(note.slice(s.start, s.end), s.text);
    assert.equal(traced[2]!.supported, true, JSON.stringify(traced[2]!.issues));
  });

  it('counts the metadata facts (age, complaints) as support but never as evidence turns', () => {
    const plain = indexDialogue(DIALOGUE);
    const withFacts = indexDialogue(DIALOGUE, ['the patient is 54 years old']);
    assert.equal(traceFaithfulness(plain, 'He is a 54-year-old male.')[0]!.supported, false);
    const [s] = traceFaithfulness(withFacts, 'He is a 54-year-old male.');
    assert.equal(s!.supported, true);
    assert.ok(s!.evidence.every((t) => t < withFacts.dialogueTurns));
  });

  it('splits ASR-style text (spaced full stops) into sentences too', () => {
    assert.deepEqual(splitSentences('okay . my knee hurts . since monday').map((s) => s.text), ['okay .', 'my knee hurts .', 'since monday']);
  });
});
