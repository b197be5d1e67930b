import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DEFAULT_NOTE_SECTIONS, ensureTinyModels, evaluateNotes, generateSplit, loadLlm, loadPredictions, loadSplit, sectionHeadersIn, writeCsv, type Encounter, type GroupScores } from 'medigen-lab';

interface RunSummary {
  total: number;
  generated: number;
  complete: boolean;
}
interface Student {
  generatePredictions(modelPath: string, split: string, corpusDir: string, out: string, limit?: number): RunSummary;
  scorePredictions(predictionsFile: string, split: string, corpusDir: string): { rouge1: number; rougeLsum: number };
}

let student: Remote<Student>;
let dir: string;
let corpus: string;
let model: string;

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'virtscribe', encounterId: id, dialogue, note });
const VALID = [
  enc('PC1', '[doctor] what brings you in ?\n[patient] headaches for a week .\n[doctor] any vision changes ?\n[patient] no .', 'CHIEF COMPLAINT\n\nHeadache.\n\nHISTORY OF PRESENT ILLNESS\n\nOne week of headaches, no vision changes.\n\nASSESSMENT AND PLAN\n\nTension headache. Ibuprofen as needed.'),
  enc('PC2', '[doctor] how is your sugar ?\n[patient] around 180 in the morning .\n[doctor] your a1c is 8.2 .', 'CHIEF COMPLAINT\n\nDiabetes follow-up.\n\nRESULTS\n\nHbA1c 8.2.\n\nASSESSMENT AND PLAN\n\nType 2 diabetes, not at goal. Increase metformin.'),
  enc('PC3', '[doctor] tell me about the rash .\n[patient] it itches on my arms .\n[doctor] it looks like eczema .', 'CHIEF COMPLAINT\n\nRash.\n\nPHYSICAL EXAMINATION\n\nDry patches on both forearms.\n\nASSESSMENT AND PLAN\n\nEczema. Moisturizer and hydrocortisone cream.'),
];

before(async () => {
  // The tiny model runs on the CPU in both processes: the same arithmetic (so the same notes) on
  // every machine, and no graphics-card probing at each start. The student's process inherits this.
  process.env.MEDIGEN_GPU = 'cpu';
  dir = mkdtempSync(join(tmpdir(), 'predictions-csv-'));
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'valid.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], VALID.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
  model = (await ensureTinyModels(join(dir, 'models'))).model;
  student = await loadStudent<Student>('predictions.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The notes the library itself writes for the whole split with the exercise's settings (made once). */
let libraryNotes: Map<string, string> | undefined;
async function library(): Promise<Map<string, string>> {
  if (libraryNotes) return libraryNotes;
  const loaded = await loadLlm(model);
  try {
    const out = join(dir, 'library.csv');
    await generateSplit(loaded, { split: 'valid', corpusDir: corpus, out, seed: 0, maxTokens: 400, grammar: { sections: DEFAULT_NOTE_SECTIONS, maxLinesPerSection: 1, maxLineChars: 40 } });
    const notes = new Map(loadPredictions(out).map((p) => [p.encounterId ?? '', p.note] as const));
    libraryNotes = notes;
    return notes;
  } finally {
    await loaded.dispose();
  }
}

/** The first section of a note with more than 1 line, or a line over 40 characters, under its header. */
function overlongSection(note: string): { header: string; lines: number; longest: number } | undefined {
  const headers = new Set(DEFAULT_NOTE_SECTIONS);
  const parts: { header: string; lines: string[] }[] = [];
  for (const raw of note.split('\n')) {
    if (headers.has(raw.trim())) parts.push({ header: raw.trim(), lines: [] });
    else if (raw.trim()) parts.at(-1)?.lines.push(raw);
  }
  for (const p of parts) {
    const longest = Math.max(0, ...p.lines.map((l) => l.length));
    if (p.lines.length > 1 || longest > 40) return { header: p.header, lines: p.lines.length, longest };
  }
  return undefined;
}

/** Shuffles the words of each line (a random order at each run): ROUGE-1 stays, ROUGE-Lsum drops. */
function shuffledLines(note: string, dropOne: boolean): string {
  return note
    .split('\n')
    .map((line) => {
      const words = line.split(' ').filter(Boolean);
      if (dropOne && words.length > 3) words.splice(Math.floor(Math.random() * words.length), 1);
      for (let i = words.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [words[i], words[j]] = [words[j]!, words[i]!];
      }
      return words.length > 2 && words.join(' ') === line.trim() ? words.reverse().join(' ') : words.join(' ');
    })
    .join('\n');
}

const near = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) < 1e-9;

describe('predictions-csv', () => {
  it('generatePredictions writes one note for each of the first 2 encounters when limit is 2', async () => {
    const out = join(dir, 'first-two.csv');
    const run = await student.generatePredictions(model, 'valid', corpus, out, 2);
    assert.deepEqual(run, { total: 2, generated: 2, complete: true }, `generatePredictions with limit 2 should report { total: 2, generated: 2, complete: true }; your code gave ${JSON.stringify(run)}`);
    assert.ok(existsSync(out), `generatePredictions should write ${out}, but there is no such file`);
    assert.deepEqual(loadPredictions(out).map((p) => p.encounterId), ['PC1', 'PC2'], 'the CSV should have the encounter ids PC1 and PC2');
  });

  it('generatePredictions: every note has the six SOAP headers, in order, with at most 1 line of 40 characters under each', async () => {
    const out = join(dir, 'all.csv');
    const run = await student.generatePredictions(model, 'valid', corpus, out);
    assert.equal(run?.generated, 3, `without a limit all 3 encounters should be generated; your code reported ${run?.generated}`);
    const want = await library();
    for (const p of loadPredictions(out)) {
      assert.deepEqual(sectionHeadersIn(p.note, DEFAULT_NOTE_SECTIONS), [...DEFAULT_NOTE_SECTIONS], `the note of ${p.encounterId} should have the headers ${DEFAULT_NOTE_SECTIONS.join(', ')}; it has ${JSON.stringify(sectionHeadersIn(p.note, DEFAULT_NOTE_SECTIONS))}:\n${p.note.slice(0, 300)}`);
      const long = overlongSection(p.note);
      assert.ok(
        !long,
        `Under ${long?.header} the note of ${p.encounterId} has ${long?.lines} line(s), the longest ${long?.longest} characters; the exercise asks for at most 1 line of at most 40 characters under each header. ` +
          `Use grammar: { sections: DEFAULT_NOTE_SECTIONS, maxLinesPerSection: 1, maxLineChars: 40 }; 'soap' has the same headers but sizes its sections to fill maxTokens (longer ones).`,
      );
      assert.ok(p.note === want.get(p.encounterId ?? ''), `The note of ${p.encounterId} is not the one the model writes with seed 0, at most 400 tokens and that grammar. Check the seed and maxTokens you give generateSplit (seed: 0, maxTokens: 400), and keep the temperature at 0 (or leave it out).`);
    }
  });

  it('scorePredictions gives the whole-note ROUGE-1 and ROUGE-Lsum that medigen eval computes, for two predictions files', async () => {
    // Hidden predictions: the reference notes with some words changed, in another row order; then
    // the reference notes with the words of each line in a random order (drawn anew at each run),
    // so that ROUGE-1 and ROUGE-Lsum differ.
    const files: [string, string[][]][] = [
      ['hidden.csv', [
        ['PC3', 'CHIEF COMPLAINT\n\nRash on arms.\n\nASSESSMENT AND PLAN\n\nEczema. Use moisturizer.'],
        ['PC1', VALID[0]!.note],
        ['PC2', 'Diabetes. Increase metformin, recheck HbA1c.'],
      ]],
      ['shuffled.csv', []],
    ];
    const gold = loadSplit('valid', corpus).encounters;
    // Reshuffle in the rare case the shuffle left ROUGE-1 and ROUGE-Lsum equal: they must differ here.
    for (let tries = 0; tries < 20; tries++) {
      files[1]![1] = VALID.map((e, k) => [e.encounterId, shuffledLines(e.note, k !== 1)]);
      writeFileSync(join(dir, 'shuffled.csv'), writeCsv(['encounter_id', 'note'], files[1]![1]));
      const all = (await evaluateNotes(gold, loadPredictions(join(dir, 'shuffled.csv')))).results.ALL as GroupScores;
      if (!near(all.rouge1, all.rougeLsum!)) break;
    }
    const seen: { rouge1: number; rougeLsum: number }[] = [];
    for (const [name, rows] of files) {
      const file = join(dir, name);
      writeFileSync(file, writeCsv(['encounter_id', 'note'], rows));
      const want = (await evaluateNotes(gold, loadPredictions(file))).results.ALL as GroupScores;
      const got = await student.scorePredictions(file, 'valid', corpus);
      const swapped = !near(want.rouge1, want.rougeLsum!) && near(got?.rouge1, want.rougeLsum!) && near(got?.rougeLsum, want.rouge1!);
      assert.ok(!swapped, `scorePredictions on ${name}: your rouge1 is the ROUGE-Lsum score and your rougeLsum is the ROUGE-1 score. Swap them: rouge1 comes from results.ALL.rouge1, rougeLsum from results.ALL.rougeLsum.`);
      const same = seen.find((s) => near(got?.rouge1, s.rouge1) && near(got?.rougeLsum, s.rougeLsum));
      for (const k of ['rouge1', 'rougeLsum'] as const) {
        assert.ok(
          near(got?.[k], want[k]!),
          `scorePredictions ${k} on ${name} is not what medigen eval computes for this file; your code gave ${got?.[k]}.` +
            (same ? ' Your code gave the same scores for two different files: compute them from the file each time (evaluateNotes on its predictions), do not write numbers down.' : ' Score the whole file with evaluateNotes(gold, loadPredictions(predictionsFile)) and read results.ALL (the mean over all notes).'),
        );
      }
      seen.push(got);
    }
  });

  it('generatePredictions resumes a run that stopped early, and counts only the notes it generated itself', async () => {
    // A first run (limit 1) cannot write its CSV (a folder is in the way), so it stops after
    // generating PC1, whose note waits in the notes-in-progress file; then the whole split is run.
    const out = join(dir, 'resumed.csv');
    mkdirSync(out);
    await student.generatePredictions(model, 'valid', corpus, out, 1).catch(() => undefined);
    const partial = `${out}.partial.jsonl`;
    assert.ok(existsSync(partial), `A first run of generatePredictions (limit 1) that could not write its CSV should leave its finished note in ${partial}, but there is no such file. Use generateSplit, which keeps every finished note there until the run completes.`);
    const kept = readFileSync(partial, 'utf8').split('\n').slice(1).filter((l) => l.trim()).map((l) => JSON.parse(l) as { encounterId: string; note: string });
    rmSync(out, { recursive: true });
    const run = await student.generatePredictions(model, 'valid', corpus, out);
    const keptIds = kept.map((k) => k.encounterId);
    assert.ok(
      run?.total === 3 && run.complete === true,
      `After the interrupted run, generatePredictions on the whole split should finish it: total 3 and complete true. Your code gave ${JSON.stringify(run)}. Return result.total and result.complete of generateSplit.`,
    );
    assert.ok(
      run.generated === 3 - keptIds.length,
      `A first run stopped after generating ${keptIds.join(', ') || 'nothing'}; the second run kept ${keptIds.length === 1 ? 'that note' : 'those notes'} and generated only the others, but your code reported generated: ${run.generated}. ` +
        `generated counts the notes generated by this run (result.generated), not all the encounters of the split (that is total).`,
    );
    const notes = new Map(loadPredictions(out).map((p) => [p.encounterId, p.note]));
    for (const k of kept) assert.ok(notes.get(k.encounterId) === k.note, `The CSV should keep the note of ${k.encounterId} from the interrupted run, not generate it again.`);
  });
});
