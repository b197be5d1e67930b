import assert from 'node:assert/strict';
import { BitLcs, MAX_LCS_CELLS, TooLongToScoreError, lcsTableMarks, porterStem, rouge, RougeScorer, scoreFromCounts, tokenize, tokenIds, Vocabulary } from '../../../../models/eval/index';

// Outputs of NLTK 3.8's PorterStemmer() (the stemmer rouge_score uses) for these words.
const NLTK_STEMS: Record<string, string> = {
  caresses: 'caress', ponies: 'poni', ties: 'tie', cats: 'cat', feed: 'feed', agreed: 'agre', plastered: 'plaster', motoring: 'motor', sing: 'sing',
  conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop', tanned: 'tan', falling: 'fall', hissing: 'hiss', fizzed: 'fizz',
  failing: 'fail', filing: 'file', happy: 'happi', sky: 'sky', skies: 'sky', dying: 'die', lying: 'lie', news: 'news', proceed: 'proceed',
  relational: 'relat', conditional: 'condit', rational: 'ration', hesitanci: 'hesit', digitizer: 'digit', radicalli: 'radic', differentli: 'differ',
  vileli: 'vile', analogousli: 'analog', vietnamization: 'vietnam', predication: 'predic', operator: 'oper', feudalism: 'feudal',
  decisiveness: 'decis', hopefulness: 'hope', callousness: 'callous', formaliti: 'formal', sensitiviti: 'sensit', sensibiliti: 'sensibl',
  triplicate: 'triplic', formative: 'form', formalize: 'formal', electriciti: 'electr', electrical: 'electr', hopeful: 'hope', goodness: 'good',
  revival: 'reviv', allowance: 'allow', inference: 'infer', airliner: 'airlin', gyroscopic: 'gyroscop', adjustable: 'adjust', defensible: 'defens',
  irritant: 'irrit', replacement: 'replac', adjustment: 'adjust', dependent: 'depend', adoption: 'adopt', communism: 'commun', activate: 'activ',
  angulariti: 'angular', homologous: 'homolog', effective: 'effect', bowdlerize: 'bowdler', probate: 'probat', rate: 'rate', cease: 'ceas',
  controll: 'control', roll: 'roll', generalizations: 'gener', medications: 'medic', swelling: 'swell', knees: 'knee', diabetes: 'diabet',
  hypertension: 'hypertens', patients: 'patient', examined: 'examin', controlled: 'control', fully: 'fulli', archaeology: 'archaeolog',
  geology: 'geolog', spied: 'spi', died: 'die', flies: 'fli',
};

describe('models/eval: tokenizer and ROUGE (rouge_score semantics)', () => {
  it('tokenizes like rouge_score: lower case, runs outside [a-z0-9] become spaces', () => {
    assert.deepEqual(tokenize('BP 120/80, stable.  Follow-up in 2 weeks!'), ['bp', '120', '80', 'stable', 'follow', 'up', 'in', '2', 'weeks']);
    assert.deepEqual(tokenize('café naïve __lf1__ ###'), ['caf', 'na', 've', 'lf1']);
    assert.deepEqual(tokenize('\u212Aelvin'), ['kelvin'], 'the Kelvin sign lower-cases to an ASCII k, as in Python');
    assert.deepEqual(tokenize(''), []);
  });

  it('keeps the tokens of each line together for rougeLsum', () => {
    const t = tokenIds('a b\n\n!!\nc d e\n', new Vocabulary());
    assert.deepEqual([...t.lineStarts], [0, 2, 5]);
    assert.equal(t.ids.length, 5);
  });

  it('stems like NLTK\'s PorterStemmer (the stemmer of rouge_score)', () => {
    for (const [word, stem] of Object.entries(NLTK_STEMS)) assert.equal(porterStem(word), stem, word);
  });

  it('stems only words longer than 3 letters, and only when asked', () => {
    assert.deepEqual(tokenize('Knees swelling was ties'), ['knees', 'swelling', 'was', 'ties']);
    assert.deepEqual(tokenize('Knees swelling was ties', { useStemmer: true }), ['knee', 'swell', 'was', 'tie']);
    assert.deepEqual(tokenize('dies', { useStemmer: true }), ['die']);
    assert.equal(rouge('the knees', 'the knee').rouge1.fmeasure, 0.5);
    assert.equal(rouge('the knees', 'the knee', { useStemmer: true }).rouge1.fmeasure, 1);
  });

  it('computes P, R and F1 in rouge_score\'s order of operations', () => {
    const s = scoreFromCounts(3, 7, 9);
    assert.equal(s.precision, 3 / 7);
    assert.equal(s.recall, 3 / 9);
    assert.equal(s.fmeasure, (2 * (3 / 7) * (3 / 9)) / (3 / 7 + 3 / 9));
    assert.deepEqual(scoreFromCounts(0, 0, 5), { precision: 0, recall: 0, fmeasure: 0 });
  });

  it('scores hand-checked examples', () => {
    // ref: the cat sat on the mat (6); pred: the cat lay on a mat (6)
    const r = rouge('The cat sat on the mat.', 'the cat lay on a mat');
    assert.equal(r.rouge1.fmeasure, scoreFromCounts(4, 6, 6).fmeasure); // the, cat, on, mat
    assert.equal(r.rouge2.fmeasure, scoreFromCounts(1, 5, 5).fmeasure); // "the cat"
    assert.equal(r.rougeL.fmeasure, scoreFromCounts(4, 6, 6).fmeasure);
    // repeated words are clipped: ref "a a b", pred "a a a a"
    assert.equal(rouge('a a b', 'a a a a').rouge1.fmeasure, scoreFromCounts(2, 4, 3).fmeasure);
    // nothing in common, or an empty side, scores 0
    assert.equal(rouge('x y', 'z').rougeLsum.fmeasure, 0);
    assert.equal(rouge('', 'z').rouge1.fmeasure, 0);
    // ACI-BENCH's placeholder for a missing section is one word, "empty": missing on both sides scores 1.
    assert.deepEqual(tokenize('#####EMPTY#####'), ['empty']);
    assert.equal(rouge('#####EMPTY#####', '#####EMPTY#####').rougeL.fmeasure, 1);
    assert.equal(rouge('#####EMPTY#####', 'Knee pain.').rouge1.fmeasure, 0);
  });

  it('scores rougeLsum per line with the union LCS and consumed token counts', () => {
    // ref lines: [a b c] [a d]; pred lines: [a c] [b a d]
    // line 1 unions: LCS with "a c" -> {a, c}; with "b a d" the LCS "a" and "b" tie and the tie rule keeps "a" => a c
    // line 2: with "a c" -> {a}; with "b a d" -> {a, d} => a d. Counts: a (ref 2, pred 2), c 1/1, d 1/1 => 4 hits.
    const r = rouge('a b c\na d', 'a c\nb a d');
    assert.equal(r.rougeLsum.fmeasure, scoreFromCounts(4, 5, 5).fmeasure);
    assert.equal(r.rougeLsum.fmeasure, 0.8000000000000002, 'the value rouge_score prints');
    // a token matched in two lines counts only as often as it occurs in the prediction
    const s = rouge('a b\na b', 'a b');
    assert.equal(s.rougeLsum.precision, 1);
    assert.equal(s.rougeLsum.recall, 2 / 4);
    // empty lines are dropped, so these equal the one-line score
    assert.deepEqual(rouge('\n\na b c\n\n', 'a c').rougeLsum, rouge('a b c', 'a c').rougeLsum);
  });

  it('picks the LCS rouge_score picks when several exist (tie rule)', () => {
    // a = [1 2], b = [2 1]: both [1] and [2] are an LCS; rouge_score's backtrack moves up on ties and keeps a[0].
    assert.deepEqual(lcsTableMarks([1, 2], [2, 1]), [0]);
    const lcs = new BitLcs();
    lcs.ensureVocab(3);
    lcs.prepare(Int32Array.from([2, 1]));
    const mark = new Uint8Array(2);
    assert.equal(lcs.markLcs(Int32Array.from([1, 2]), 0, 2, mark), 1);
    assert.deepEqual([...mark], [1, 0]);
  });

  it('bit-parallel LCS equals the dynamic-programming table on random sequences (lengths across word boundaries)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lcs = new BitLcs();
    lcs.ensureVocab(8);
    for (let t = 0; t < 3000; t++) {
      const n = Math.floor(rnd() * 90);
      const m = Math.floor(rnd() * 90);
      const v = 1 + Math.floor(rnd() * 7);
      const a = Int32Array.from({ length: n }, () => Math.floor(rnd() * v));
      const b = Int32Array.from({ length: m }, () => Math.floor(rnd() * v));
      const expected = lcsTableMarks(a, b);
      lcs.prepare(b);
      const mark = new Uint8Array(n);
      assert.equal(lcs.markLcs(a, 0, n, mark), expected.length);
      assert.equal(lcs.length(a), expected.length);
      lcs.release();
      assert.deepEqual([...mark].flatMap((x, i) => (x ? [i] : [])), expected, `a=${a} b=${b}`);
    }
  });

  it('gives the same scores whether a scorer is reused or fresh', () => {
    const s = new RougeScorer();
    const pairs: [string, string][] = [['a b c d', 'a c'], ['x y\nz', 'y z x'], ['one two three', 'three two one']];
    for (let k = 0; k < 3; k++) s.score('unrelated words to grow the vocabulary', 'more words');
    for (const [r, p] of pairs) assert.deepEqual(s.score(r, p), rouge(r, p));
  });
  it('keeps the rouge_score LCS on one very long line (a long miss after the matches) with the same marks as the table', () => {
    // The matches sit at the start of b and a long tail of misses follows: the backtrack walks the
    // whole tail, which used to cost a popcount of the row per step.
    const a = Int32Array.from([1, 2, 3, 1, 2, 3, 4]);
    const b = Int32Array.from({ length: 5000 }, (_, j) => (j < 10 ? (j % 4) + 1 : 5 + (j % 3)));
    const lcs = new BitLcs();
    lcs.ensureVocab(8);
    lcs.prepare(b);
    const mark = new Uint8Array(a.length);
    const expected = lcsTableMarks(a, b);
    assert.equal(lcs.markLcs(a, 0, a.length, mark), expected.length);
    assert.deepEqual([...mark].flatMap((x, i) => (x ? [i] : [])), expected);
  });

  it('refuses two texts whose LCS would exceed the limit, with the word counts and what to do', () => {
    const words = Math.ceil(Math.sqrt(MAX_LCS_CELLS)) + 10;
    const text = 'word '.repeat(words);
    assert.throws(
      () => rouge(text, text),
      (e: unknown) => e instanceof TooLongToScoreError && /too long to score/.test(e.message) && e.message.includes(words.toLocaleString('en-US')) && /generator stopped/.test(e.hint),
    );
  });
});
