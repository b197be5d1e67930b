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
  it('marks the words of speaker tags ("[doctor]", "[patient_guest]"), not the same words said in a turn', () => {
    const w = words('[doctor] hi , i am doctor smith .\n[patient_guest] hello [ 5 ] [x');
    assert.deepEqual(w.filter((x) => x.tag).map((x) => `${x.text}@${x.start}`), ['doctor@1', 'patient@35', 'guest@43']);
  });

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

  it('lists each unsupported detail once: no repeats ("5/5"), no number inside a longer one ("twice" in "twice daily")', () => {
    const d = '[doctor] how are you ?\n[patient] fine , my knee hurts .';
    const issues = (note: string) => traceFaithfulness(d, note).flatMap((x) => x.issues.map((i) => `${i.kind}:${i.text}`));
    assert.deepEqual(issues('Strength 5/5 in the upper extremities.'), ['number:5']);
    assert.deepEqual(issues('Naproxen 20 mg twice daily.'), ['number:20 mg', 'number:twice daily', 'medication:Naproxen']);
    assert.deepEqual(issues('She exercises about 3 times a week.'), ['number:3 times', 'number:a week']);
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

describe('models/safety: faithfulness on ASR-style numbers, sides and history (hand-made cases)', () => {
  const flagged = (dialogue: string, note: string) => traceFaithfulness(dialogue, note)[0]!.issues;

  it('reads a decimal point said as a full stop ("ninety eight . six") and "fifteen hundred"', () => {
    const dlg = '[doctor] your temperature is ninety eight . six today .\n[doctor] i am starting robaxin , fifteen hundred milligrams every six to eight hours .';
    assert.deepEqual(flagged(dlg, 'Temperature: 98.6.'), []);
    assert.deepEqual(flagged(dlg, 'Temperature: 99.1.'), [{ kind: 'number', text: '99.1' }]);
    assert.deepEqual(flagged(dlg, 'Robaxin 1500 mg every 6 to 8 hours.'), []);
    assert.deepEqual(flagged(dlg, 'Robaxin 750 mg every 6 to 8 hours.'), [{ kind: 'number', text: '750 mg' }]);
  });

  it('does not take a number inside a longer one as said ("twenty five" of "one twenty five over eighty")', () => {
    const dlg = '[patient] my blood pressure at home is about one twenty five over eighty .\n[doctor] and you take lisinopril twenty milligrams a day ?\n[patient] yes .';
    assert.deepEqual(flagged(dlg, 'Blood pressure at home is 125/80.'), []);
    assert.deepEqual(flagged(dlg, 'He takes lisinopril 20 mg a day.'), []);
    assert.deepEqual(flagged(dlg, 'He takes lisinopril 25 mg a day.'), [{ kind: 'number', text: '25 mg' }]);
  });

  it('places a short answer by the question before it ("how bad is it ?" "seven")', () => {
    const dlg = '[doctor] on a scale of one to ten , how bad is the pain in your back ?\n[patient] seven .\n[doctor] okay . and did you take anything for it ?\n[patient] two tylenol .';
    assert.deepEqual(flagged(dlg, 'He rates his back pain as 7 out of 10.'), []);
    assert.ok(flagged(dlg, 'He rates his back pain as 9 out of 10.').some((i) => i.kind === 'number' && i.text === '9'));
  });

  it('checks a dose next to a drug against that drug: "10 mg" said of lisinopril is no support for metformin 10 mg', () => {
    const dlg = '[doctor] you take metformin five hundred milligrams twice a day , and lisinopril ten milligrams once a day .\n[patient] yes .';
    assert.deepEqual(flagged(dlg, 'Continue metformin 500 mg twice a day.'), []);
    assert.deepEqual(flagged(dlg, 'Continue metformin 10 mg twice a day.'), [{ kind: 'number', text: '10 mg' }]);
  });

  it('reads "%" after a spoken number, "q 6 h" as every 6 hours, years as "twenty eighteen", and "type two"', () => {
    const dlg = [
      '[doctor] apply the adapalene , 0.1 % gel , at night .',
      '[doctor] take ibuprofen six hundred milligrams q 6 h with food .',
      '[patient] i had a stent put in back in twenty eighteen .',
      '[doctor] and your type two diabetes is well controlled .',
    ].join('\n');
    assert.deepEqual(flagged(dlg, 'Apply adapalene 0.1% gel nightly.'), []);
    assert.deepEqual(flagged(dlg, 'Ibuprofen 600 mg every 6 hours with food.'), []);
    assert.deepEqual(flagged(dlg, 'He had a stent placed in 2018.'), []);
    assert.deepEqual(flagged(dlg, 'Type 2 diabetes, well controlled.'), []);
    assert.deepEqual(flagged(dlg, 'Type 1 diabetes, well controlled.'), [{ kind: 'number', text: '1' }]);
  });

  it('checks both levels of a spinal range ("L4-5" against "l4 l5"), and takes no time of day for a figure', () => {
    const dlg = '[doctor] the mri shows a herniated disc at l4 l5 .\n[patient] the pain woke me at two in the morning .';
    assert.deepEqual(flagged(dlg, 'MRI shows an L4-5 herniated disc.'), []);
    assert.deepEqual(flagged(dlg, 'MRI shows an L3-4 herniated disc.'), [{ kind: 'number', text: 'L3-4' }]);
    assert.deepEqual(flagged(dlg, 'The pain woke him at 2:00 am.'), []);
  });

  it('where the visit names both sides of a body part, takes the side said with the sentence\'s other words', () => {
    const dlg = [
      '[patient] my right knee has been swollen and painful since the fall .',
      '[doctor] and your left knee ?',
      '[patient] the left knee is fine .',
      '[doctor] on exam the right knee has swelling and tenderness along the joint line .',
    ].join('\n');
    assert.deepEqual(flagged(dlg, 'Swelling and joint line tenderness of the right knee.'), []);
    assert.deepEqual(flagged(dlg, 'Swelling and joint line tenderness of the left knee.').map((i) => i.kind), ['side']);
    // A slip corrected at once ("left ... right leg pain") shares its context with the correction.
    const slip = '[doctor] she is here for left leg pain , right leg pain , after a fall at work .\n[patient] yes , my right leg .';
    assert.deepEqual(flagged(slip, 'She presents for right leg pain after a fall at work.'), []);
  });

  it('accepts a sentence comparing both sides when each is said, and flags a side said of nothing the visit gives a side to', () => {
    const dlg = '[doctor] strength is four out of five on the right and five out of five on the left .\n[doctor] most of the pain is on the right .\n[doctor] the right side is worse .';
    assert.deepEqual(flagged(dlg, 'Strength is 4/5 on the right and 5/5 on the left.'), []);
    assert.deepEqual(flagged(dlg, 'Strength is 4/5 on the left and 5/5 on the left.').map((i) => i.kind), ['side']);
  });

  it('checks every "history of" in a sentence, and a general word ("disease") is no mention of an item', () => {
    const dlg = '[patient] i have high blood pressure , and my kidney disease is stable .';
    assert.deepEqual(flagged(dlg, 'He has a history of hypertension.'), []);
    const issues = flagged(dlg, 'He has a history of hypertension, and has a history of celiac disease.');
    assert.deepEqual(issues.map((i) => i.kind), ['diagnosis']);
    assert.match(issues[0]!.text, /celiac disease/);
  });

  it('takes "steroid injection" said as support for cortisone, and "CVA tenderness" as no stroke', () => {
    const dlg = '[doctor] if therapy does not help we can try a steroid injection .\n[doctor] no tenderness over your flanks .';
    assert.deepEqual(flagged(dlg, 'If therapy does not help, we will consider a cortisone injection.'), []);
    assert.deepEqual(flagged(dlg, 'No CVA tenderness.'), []);
  });
});
