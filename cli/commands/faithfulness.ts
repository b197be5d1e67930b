import { resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { parseTurns } from '../../datasets/index';
import { loadGold, loadPredictions, matchPredictions } from '../../models/eval/index';
import { ISSUE_KINDS, indexDialogue, metadataFacts, traceFaithfulness, type IssueKind, type TracedSentence } from '../../models/safety/index';
import { EXIT, defineCommand, type Command } from '../command';

/** The JSON form of one traced note, exactly as `medigen faithfulness --json` prints it. */
interface NoteJson {
  encounter_id: string;
  sentences: { text: string; supported: boolean; evidence: number[]; issues: { kind: IssueKind; text: string }[] }[];
}

function oneLine(text: string, max = 110): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const faithfulness = defineCommand({
  path: ['faithfulness'],
  summary: 'Check that every sentence of generated notes comes from its dialogue (unsupported numbers, sides, medications, diagnoses, negations)',
  usage: '--gold SPLIT|FILE --pred FILE [--corpus DIR] [--json]',
  options: {
    gold: { type: 'string' },
    pred: { type: 'string' },
    corpus: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    gold: 'The dialogues the notes were written from: a split name (train, valid, test1, test2, test3) or an ACI-BENCH CSV file. Required.',
    pred: 'Generated notes: a CSV with a "note" column (and "encounter_id" to match rows). Required.',
    corpus: 'Folder with the ACI-BENCH CSV files, for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample.',
    json: 'Print every sentence as JSON: {"notes": [{"encounter_id", "sentences": [{"text", "supported", "evidence", "issues"}]}], "summary": {...}}.',
  },
  details: `Traces each sentence of each generated note back to the dialogue turns it came from. A
sentence is unsupported when it carries a detail the dialogue does not: a number, dose, frequency or
duration; a side (left/right); a medication; a diagnosis or history item; or a negation that flips
what was said. The patient's age and the visit's complaints from the *_metadata.csv count as said.
Evidence turns are numbered from 0 in the order of the dialogue's [speaker] lines. The check is
lexical and rule-based: it runs offline in under a tenth of a second per note, and can miss a detail said in
other words or flag one said in a way it does not know. Read the flagged sentences beside the
dialogue. Exit code 0 when the notes were checked, whatever they contain.

Examples:
  medigen faithfulness --gold test1 --pred my_notes.csv --corpus ~/aci-bench
  medigen faithfulness --gold test1 --pred my_notes.csv --json > faithfulness.json`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.gold) throw new UsageError('--gold is required: the dialogues (a split name such as test1, or a CSV file).', 'Example: medigen faithfulness --gold test1 --pred preds.csv');
    if (!v.pred) throw new UsageError('--pred is required: the CSV with your generated notes.', 'Example: medigen faithfulness --gold test1 --pred preds.csv');
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}".`, 'Give the files with --gold and --pred.');
    const gold = loadGold(v.gold, v.corpus ? { corpus: v.corpus } : {});
    const pairs = matchPredictions(gold.encounters, loadPredictions(v.pred));

    const notes: { id: string; dialogue: string; traced: TracedSentence[] }[] = pairs.gold.map((g, k) => ({
      id: g.encounterId,
      dialogue: g.dialogue,
      traced: traceFaithfulness(indexDialogue(g.dialogue, metadataFacts(g.metadata)), pairs.predictions[k]!),
    }));
    const sentences = notes.reduce((a, n) => a + n.traced.length, 0);
    if (sentences === 0) {
      throw new MedigenError(`None of the ${notes.length} generated notes in ${resolve(v.pred)} has a sentence to check.`, 'Check that the "note" column holds the generated notes, not empty cells.');
    }
    const unsupported = notes.reduce((a, n) => a + n.traced.filter((s) => !s.supported).length, 0);
    const issuesByKind = Object.fromEntries(ISSUE_KINDS.map((k) => [k, notes.reduce((a, n) => a + n.traced.reduce((b, s) => b + s.issues.filter((i) => i.kind === k).length, 0), 0)]));
    const summary = {
      notes: notes.length,
      sentences,
      supported: sentences - unsupported,
      unsupported,
      unsupported_rate: unsupported / sentences,
      notes_with_unsupported: notes.filter((n) => n.traced.some((s) => !s.supported)).length,
      issues_by_kind: issuesByKind,
      matched_by: pairs.matchedBy,
    };

    if (v.json) {
      const json: { notes: NoteJson[]; summary: typeof summary } = {
        notes: notes.map((n) => ({ encounter_id: n.id, sentences: n.traced.map((s) => ({ text: s.text, supported: s.supported, evidence: s.evidence, issues: s.issues })) })),
        summary,
      };
      ctx.out.write(`${JSON.stringify(json, null, 2)}\n`);
      return EXIT.ok;
    }
    ctx.out.write(`Dialogues: ${gold.file}\nNotes: ${resolve(v.pred)} (matched by ${pairs.matchedBy})\n\n`);
    for (const n of notes) {
      const bad = n.traced.filter((s) => !s.supported);
      if (!bad.length) continue;
      const turns = parseTurns(n.dialogue).turns;
      ctx.out.write(`${n.id}: ${bad.length} of ${n.traced.length} sentences unsupported\n`);
      for (const s of bad) {
        ctx.out.write(`  "${oneLine(s.text)}"\n`);
        for (const i of s.issues) ctx.out.write(`    ${i.kind}: "${i.text}" is not in the dialogue\n`);
        if (!s.evidence.length) ctx.out.write('    evidence: no turn of the dialogue shares its words\n');
        for (const t of s.evidence) ctx.out.write(`    evidence turn ${t} (line ${turns[t]?.line ?? '?'}): [${turns[t]?.speaker ?? '?'}] ${oneLine(turns[t]?.text ?? '', 90)}\n`);
      }
      ctx.out.write('\n');
    }
    const kinds = Object.entries(issuesByKind).filter(([, c]) => c > 0).map(([k, c]) => `${c} ${k}`).join(', ');
    ctx.out.write(
      `${unsupported} of ${sentences} sentences (${((100 * unsupported) / sentences).toFixed(1)}%) in ${summary.notes_with_unsupported} of ${notes.length} notes carry a detail the dialogue does not${kinds ? ` (${kinds})` : ''}.\n` +
        (unsupported ? 'Next: read each flagged sentence beside its evidence turns, and fix the note or the generator. --json gives every sentence with its evidence.\n' : 'Every sentence traces back to the dialogue.\n'),
    );
    return EXIT.ok;
  },
});

export const faithfulnessCommands: Command[] = [faithfulness];
