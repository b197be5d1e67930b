import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { NoteGenerator, ensureTinyModels, loadLlm, loadSplit, sampleCorpusDir, type Encounter, type LoadedLlm } from 'medigen-lab';

interface Settings {
  seed: number;
  temperature: number;
  maxTokens: number;
  grammar?: 'free' | 'soap';
}
interface OneNote {
  text: string;
  promptTokens: number;
  generatedTokens: number;
}
interface Student {
  generateOne(modelPath: string, encounter: Encounter, settings: Settings): OneNote;
}

let student: Remote<Student>;
let dir: string;
let model: string;
let loaded: LoadedLlm;
let generator: NoteGenerator;

before(async () => {
  // The tiny model runs on the CPU in both processes: the same arithmetic (so the same notes) on
  // every machine, and no graphics-card probing at each start. The student's process inherits this.
  process.env.MEDIGEN_GPU = 'cpu';
  dir = mkdtempSync(join(tmpdir(), 'one-note-'));
  model = (await ensureTinyModels(dir)).model;
  student = await loadStudent<Student>('note.ts');
});
after(async () => {
  await student?.close();
  await generator?.dispose();
  await loaded?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What the library itself generates with the same model and settings (loaded once). */
async function expected(encounter: Encounter, settings: Settings): Promise<OneNote & { stopReason: string; promptChars: number; userWords: number }> {
  loaded ??= await loadLlm(model);
  generator ??= await NoteGenerator.create(loaded);
  const r = await generator.generate(encounter, settings);
  const prompt = generator.renderPrompt(encounter);
  return { text: r.text, promptTokens: prompt.tokens.length, generatedTokens: r.generatedTokens, stopReason: r.stopReason, promptChars: prompt.text.length, userWords: prompt.user.split(/\s+/).filter(Boolean).length };
}

/** The start of a note, to show in a message (never the whole note). */
const start = (text: unknown) => (typeof text === 'string' ? JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text) : String(text));

/**
 * A visit made up anew at each run (its lines and their number are drawn at random), so its
 * prompt's token count cannot be known in advance: only counting gives it.
 */
function randomVisit(): Encounter {
  const lines = [
    '[doctor] how are you feeling today ?',
    '[patient] my knee hurts when i climb the stairs .',
    '[doctor] how long has that been going on ?',
    '[patient] about three weeks now .',
    '[doctor] any swelling or redness ?',
    '[patient] a little swelling in the evening .',
    '[doctor] do you take anything for the pain ?',
    '[patient] ibuprofen twice a day .',
    '[doctor] your blood pressure is 132 over 84 today .',
    '[doctor] we will get an x-ray of the knee and start physical therapy .',
  ];
  const picked = lines.filter(() => Math.random() < 0.6);
  const dialogue = (picked.length ? picked : lines.slice(0, 3)).join('\n');
  return { dataset: 'aci', encounterId: `RND${Math.floor(Math.random() * 900 + 100)}`, dialogue, note: '' };
}

const VISIT: Encounter = {
  dataset: 'aci',
  encounterId: 'GEN1',
  dialogue: '[doctor] hello , what brings you in today ?\n[patient] i twisted my ankle playing football on saturday .\n[doctor] can you walk on it ?\n[patient] a little , but it is swollen .\n[doctor] there is swelling over the outer ankle . we will get an x-ray .',
  note: '',
};

describe('one-note', () => {
  it('generateOne returns the note the model writes with seed 1 and temperature 0.8', async () => {
    const settings = { seed: 1, temperature: 0.8, maxTokens: 40 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.ok(got?.text === want.text, `generateOne(${JSON.stringify(settings)}) should give the note the library generates with these settings; your note starts ${start(got?.text)}. Pass the seed, temperature and maxTokens of settings on to generate.`);
    assert.ok(got.generatedTokens === want.generatedTokens, `generatedTokens should be the number of tokens the model generated for this note (result.generatedTokens); your code gave ${got.generatedTokens}.`);
  });

  it('generateOne gives another note with seed 2 (the seed is passed on)', async () => {
    const settings = { seed: 2, temperature: 0.8, maxTokens: 40 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.ok(got?.text === want.text, `generateOne with seed 2 should give the note the library generates with seed 2 (a different seed draws different words); your note starts ${start(got?.text)}.`);
  });

  it('generateOne stops after maxTokens tokens', async () => {
    const settings = { seed: 3, temperature: 0.8, maxTokens: 12 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.ok(got?.generatedTokens === want.generatedTokens, `with maxTokens 12 this note is cut at the limit, so the model generated 12 tokens; your code reported ${got?.generatedTokens}.`);
    assert.ok(got.text === want.text, `with maxTokens 12 the note should be the library's 12-token note; your note starts ${start(got.text)}.`);
  });

  it('generateOne counts the tokens the model really generated when the note ends before maxTokens (grammar \'soap\')', async () => {
    // The grammar ends the note after its last section, well before the 400-token limit.
    const settings: Settings = { seed: 5, temperature: 0.8, maxTokens: 400, grammar: 'soap' };
    const want = await expected(VISIT, settings);
    assert.ok(want.stopReason !== 'maxTokens' && want.generatedTokens < settings.maxTokens, `check set-up: the library's 'soap' note should end before ${settings.maxTokens} tokens (it stopped: ${want.stopReason})`);
    const got = await student.generateOne(model, VISIT, settings);
    assert.ok(
      got?.text === want.text,
      `with settings ${JSON.stringify(settings)} the note should be the one the library writes with the grammar 'soap' (it starts with the header CHIEF COMPLAINT); your note starts ${start(got?.text)}.` +
        (typeof got?.text === 'string' && !got.text.startsWith('CHIEF COMPLAINT') ? '\n  Pass settings.grammar on to generate too (grammar: settings.grammar), as you pass the seed, temperature and maxTokens.' : ''),
    );
    assert.ok(
      got.generatedTokens === want.generatedTokens,
      got.generatedTokens === settings.maxTokens
        ? `Your code reported generatedTokens: ${settings.maxTokens}, the limit (maxTokens). But this note ended before the limit: the grammar finished it after its last section. maxTokens is only a ceiling; report the tokens the model really generated: result.generatedTokens.`
        : `generatedTokens should be the number of tokens the model really generated for this note (result.generatedTokens); your code gave ${got.generatedTokens}.`,
    );
  });

  it('generateOne counts the tokens of the prompt the model really reads, for each visit', async () => {
    const settings = { seed: 0, temperature: 0, maxTokens: 4 };
    const visits = [...loadSplit('valid', sampleCorpusDir()).encounters.slice(0, 2), randomVisit()];
    const counts: number[] = [];
    for (const visit of visits) {
      const want = await expected(visit, settings);
      const got = await student.generateOne(model, visit, settings);
      const n = got?.promptTokens;
      counts.push(n);
      const why =
        typeof n !== 'number'
          ? 'promptTokens should be a number: prompt.tokens.length.'
          : n === want.promptChars
            ? 'That is the number of characters of the prompt text. Models count (and are limited by) tokens, pieces of words: count prompt.tokens.length.'
            : n === want.userWords
              ? 'That is the number of words of the user message. The model reads the system message and the chat template\'s markers too, and a word is often several tokens: count prompt.tokens.length.'
              : counts.length > 1 && counts.every((c) => c === n)
                ? 'Your code gave the same number for different visits. Each dialogue has its own length, so each prompt has its own number of tokens: count the tokens of this visit\'s prompt, prompt.tokens.length, instead of writing down a number.'
                : `That is not the number of tokens of the prompt with the chat template (it has ${want.promptTokens > n ? 'more' : 'fewer'} tokens than that). Count prompt.tokens.length, where prompt = generator.renderPrompt(encounter).`;
      assert.ok(n === want.promptTokens, `promptTokens of the visit ${visit.encounterId}: your code gave ${n}, which is not the prompt's token count. ${why}`);
    }
  });
});
