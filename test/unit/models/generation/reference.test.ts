/** Finding a dialogue's reference note in the shipped sample corpus (real files). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../core/index';
import { loadSplit, sampleCorpusDir } from '../../../../datasets/index';
import { SPLITS } from '../../../../datasets/index';
import { availableSplits, findEncounter, findReference, loadCorpusEncounters, normalizeDialogue } from '../../../../models/generation/index';

describe('generation: reference notes', () => {
  const { corpusDir, encounters } = loadCorpusEncounters(sampleCorpusDir());

  it('loads every split of the sample corpus, tagged with its split', () => {
    assert.equal(corpusDir, sampleCorpusDir());
    assert.deepEqual(availableSplits(corpusDir), [...SPLITS]);
    const total = SPLITS.reduce((n, s) => n + loadSplit(s, corpusDir).encounters.length, 0);
    assert.equal(encounters.length, total);
    const valid = loadSplit('valid', corpusDir).encounters[1]!;
    assert.deepEqual(findEncounter(encounters, valid.encounterId)?.split, 'valid');
    assert.equal(findEncounter(encounters, valid.encounterId, 'train'), undefined);
  });

  it('matches the same dialogue pasted from a file or copied out of a CSV cell', () => {
    const e = loadSplit('test2', corpusDir).encounters[0]!;
    const asCsvCell = `"${e.dialogue.replace(/"/g, '""').replace(/\n/g, '\r\n')}"`;
    for (const text of [e.dialogue, `\n  ${e.dialogue.toUpperCase()}  \n`, asCsvCell]) {
      const found = findReference(text, undefined, encounters);
      assert.equal(found?.encounter.encounterId, e.encounterId);
      assert.equal(found?.split, 'test2');
      assert.equal(found?.matchedBy, 'dialogue');
    }
    assert.equal(normalizeDialogue(' A  b\r\nC '), 'a b c');
  });

  it('falls back to an encounter id in the file name, and finds nothing for other text', () => {
    const e = loadSplit('train', corpusDir).encounters[2]!;
    const found = findReference('[doctor] a different conversation', `/home/student/dialogues/${e.encounterId.toLowerCase()}-dialogue.txt`, encounters);
    assert.equal(found?.encounter.encounterId, e.encounterId);
    assert.equal(found?.matchedBy, 'file name');
    assert.equal(findReference('[doctor] a different conversation', '/tmp/notes.txt', encounters), undefined);
    assert.equal(findReference('[doctor] hello', `/tmp/X${e.encounterId}Y.txt`, encounters), undefined, 'an id inside a longer word matched');
  });

  it('says when the corpus folder does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medigen-ref-'));
    try {
      assert.throws(() => loadCorpusEncounters(join(dir, 'missing')), (e: unknown) => e instanceof MedigenError && /does not exist/.test(e.message));
      assert.deepEqual(loadCorpusEncounters(dir).encounters, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
