import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatStats } from '../../../datasets/index';
import { corpusStats, summarize } from '../../../datasets/index';
import { countWhitespaceTokens, loadTokenizer } from '../../../datasets/index';
import { SAMPLE, requireCorpus } from './helpers';
import { writeTinyTokenizer } from './tinyTokenizer';

describe('datasets/stats', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-stats-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts whitespace tokens', () => {
    assert.equal(countWhitespaceTokens('i , i just'), 4);
    assert.equal(countWhitespaceTokens('  a\n\tb\u00A0c  '), 3);
    assert.equal(countWhitespaceTokens(''), 0);
    assert.deepEqual(summarize([2, 4, 9]), { mean: 5, min: 2, max: 9 });
  });

  it('describes every split of the sample by default', () => {
    const s = corpusStats(undefined, SAMPLE);
    assert.deepEqual(s.map((x) => [x.split, x.encounters]), [['train', 3], ['valid', 2], ['test1', 2], ['test2', 2], ['test3', 2]]);
    assert.deepEqual(s[0]!.subsets, { virtassist: 1, virtscribe: 1, aci: 1 });
    assert.equal(s[1]!.speakers.patient_guest, 3);
  });

  it('reproduces the real corpus sizes and lengths (ACI-BENCH Table 1 style)', () => {
    const s = corpusStats(undefined, requireCorpus());
    assert.deepEqual(s.map((x) => [x.split, x.encounters]), [['train', 67], ['valid', 20], ['test1', 40], ['test2', 40], ['test3', 40]]);
    const train = s[0]!;
    assert.deepEqual(train.subsets, { virtassist: 20, virtscribe: 12, aci: 35 });
    assert.equal(train.speakers.doctor + train.speakers.patient, 1928 + 1807);
    // Means measured on the real corpus; the paper reports dialogues of ~1.3k words and notes of ~0.4-0.5k.
    assert.ok(train.dialogueWords.mean > 1200 && train.dialogueWords.mean < 1400, String(train.dialogueWords.mean));
    assert.ok(train.noteWords.mean > 380 && train.noteWords.mean < 470, String(train.noteWords.mean));
    assert.ok(train.turns.mean > 50 && train.turns.mean < 60);
    const text = formatStats(s);
    assert.match(text, /^train\s+67\s+55\.7\s+1301\.\d\s+42\d\.\d/m);
  });

  it('counts model tokens with a local tokenizer, offline', async () => {
    const tok = await loadTokenizer(writeTinyTokenizer(join(dir, 'tiny-wp')));
    assert.equal(tok.count('the patient'), 2);
    assert.equal(tok.count('knees'), 2); // knee ##s
    assert.equal(tok.count('hi , how are you ?'), 6);
    const s = corpusStats(['train'], SAMPLE, { tokenizer: tok });
    assert.equal(s[0]!.tokenizer, 'tiny-wp');
    // Words outside the tiny vocabulary split into letters, so tokens outnumber words.
    assert.ok(s[0]!.dialogueTokens!.mean > s[0]!.dialogueWords.mean);
    assert.match(formatStats(s), /avg dialogue tokens/);
  });

  it('fails with a helpful message for a folder without tokenizer.json', async () => {
    await assert.rejects(loadTokenizer(dir), /has no tokenizer\.json/);
    await assert.rejects(loadTokenizer(join(dir, 'nope')), /does not exist/);
  });
});
