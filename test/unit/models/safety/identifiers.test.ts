import assert from 'node:assert/strict';
import { plantIdentifiers, scanIdentifiers, scrubIdentifiers } from '../../../../models/safety/index';

function kinds(text: string) {
  return scanIdentifiers(text).map((h) => [h.kind, h.text]);
}

describe('models/safety: identifier guard on hand-made cases', () => {
  it('finds a phone number read out in groups, and one written with dashes', () => {
    assert.deepEqual(kinds('[patient] yeah , my number is five five five , two three four , five six seven eight .'), [['phone', 'five five five , two three four , five six seven eight']]);
    assert.deepEqual(kinds('call me at 617-555-0134 please'), [['phone', '617-555-0134']]);
  });

  it('finds a spoken email and a written one', () => {
    const spoken = scanIdentifiers('my email is maria dot okafor at gmail dot com .');
    assert.ok(spoken.some((h) => h.kind === 'email' && h.text === 'maria dot okafor at gmail dot com'), JSON.stringify(spoken));
    assert.deepEqual(kinds('send it to jo.smith@example.org , okay ?'), [['email', 'jo.smith@example.org']]);
  });

  it('tells record numbers, social security numbers and phone numbers apart by what was said before them', () => {
    assert.equal(scanIdentifiers('her medical record number is four four two one nine eight seven .')[0]!.kind, 'mrn');
    assert.equal(scanIdentifiers('my social security number is one two three , four five , six seven eight nine .')[0]!.kind, 'ssn');
    assert.equal(scanIdentifiers('ssn 123-45-6789 .')[0]!.kind, 'ssn');
    assert.equal(scanIdentifiers('you can reach me at eight one seven two two three four four five five .')[0]!.kind, 'phone');
    // The nearest cue wins: the phone number after "DOB …, phone" is a phone number.
    assert.deepEqual(scanIdentifiers('Mr. Okonkwo, DOB 03/03/1962, phone 617-442-9013.').map((h) => [h.kind, h.text]), [['name', 'Okonkwo'], ['dob', '03/03/1962'], ['phone', '617-442-9013']]);
    assert.deepEqual(scanIdentifiers('Mr. Okonkwo (DOB 03/03/1962) reports knee pain.').map((h) => [h.kind, h.text]), [['name', 'Okonkwo'], ['dob', '03/03/1962']], 'a name does not run on across a parenthesis');
  });

  it('finds a date of birth said in words and an address with a street word', () => {
    assert.deepEqual(kinds('my date of birth is march third , nineteen fifty four .'), [['dob', 'march third , nineteen fifty four']]);
    assert.deepEqual(kinds('i live at one twenty three maple street .'), [['address', 'one twenty three maple street']]);
  });

  it('finds a date of birth given as the answer to the doctor\'s question, in the next turn', () => {
    const dob = (t: string) => scanIdentifiers(t).filter((h) => h.kind === 'dob').map((h) => h.text);
    assert.deepEqual(dob('[doctor] and your date of birth ?\n[patient] march third , nineteen sixty two .'), ['march third , nineteen sixty two']);
    assert.deepEqual(dob('[doctor] when were you born ?\n[patient] it was june fifth , nineteen eighty .'), ['june fifth , nineteen eighty']);
    assert.deepEqual(dob('[doctor] where were you born ?\n[patient] in chicago .'), [], 'a place is no date');
  });

  it('finds names after a cue, common given names, and names known from the metadata', () => {
    assert.deepEqual(kinds('sure , my name is priya okafor .'), [['name', 'priya okafor']]);
    assert.deepEqual(kinds('hi , i am doctor haddad , nice to meet you .'), [['name', 'haddad']]);
    assert.deepEqual(kinds('hi jerry , how are you doing ?'), [['name', 'jerry']]);
    assert.deepEqual(scanIdentifiers('thanks , mr zyx .', { knownNames: ['Zyx'] }).map((h) => h.text), ['zyx']);
  });

  it('leaves clinical talk alone: vitals, doses, durations, "all right", "doctor said"', () => {
    const text = '[doctor] all right , your blood pressure is one twenty over eighty , and the doctor said to take twenty milligrams twice a day for two weeks . we will see you in three months .';
    assert.deepEqual(scanIdentifiers(text), []);
  });

  it('does not take a speaker tag for a title: the word after "[doctor]" is not a name', () => {
    const text = '[doctor] wow , that is a lot .\n[patient] yeah .\n[doctor] hmmm , okay .\n[doctor] refer you to cardiology .';
    assert.deepEqual(scanIdentifiers(text), []);
    // The same word as a title in speech still marks a name.
    assert.deepEqual(kinds('[patient] doctor smith said to come .'), [['name', 'smith']]);
  });

  it('scrubs with typed placeholders and keeps the rest of the text', () => {
    const r = scrubIdentifiers('[patient] my name is priya okafor and my number is five five five , two three four , five six seven eight .');
    assert.equal(r.text, '[patient] my name is [NAME] and my number is [PHONE] .');
    assert.deepEqual(r.found.map((h) => h.kind), ['name', 'phone']);
  });

  it('plants identifiers deterministically for a seed, at the offsets it reports', () => {
    const dialogue = '[doctor] hi .\n[patient] hello .\n[doctor] what brings you in ?\n[patient] my knee .';
    const a = plantIdentifiers(dialogue, 7);
    assert.deepEqual(plantIdentifiers(dialogue, 7), a);
    assert.notDeepEqual(plantIdentifiers(dialogue, 8).dialogue, a.dialogue);
    assert.equal(a.planted.length, 14);
    for (const p of a.planted) assert.equal(a.dialogue.slice(p.start, p.end), p.value);
    for (const line of dialogue.split('\n')) assert.ok(a.dialogue.includes(line), 'the original turns stay');
  });
});
