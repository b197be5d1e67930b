/**
 * What a note is generated from: the active editor's selection or whole file, a dialogue given by
 * a caller, or an encounter of the configured corpus (asked for with two quick picks) — and the
 * reference note that belongs to it, when the corpus has one.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { MedigenError } from '../../core/index';
import type { Encounter } from '../../datasets/index';
import { NOTE_SCHEME } from './documents';
import { availableSplits, findEncounter, findReference, loadCorpusEncounters, type CorpusEncounter, type ReferenceMatch } from '../../models/generation/index';
import { corpusFolderSetting } from './setup';

/** A dialogue to generate from and, when known, its reference encounter. */
export interface ResolvedInput {
  input: string | Encounter;
  /** Short name for titles: the encounter id or the file name. */
  label: string;
  reference?: CorpusEncounter & { matchedBy: ReferenceMatch };
}

/** Where the dialogue comes from when a command is run from code (tests, other extensions). */
export interface InputArgs {
  /** A dialogue text, used instead of the active editor. */
  dialogue?: string;
  /** An encounter of the configured corpus, by id. */
  encounterId?: string;
  /** The split to look the encounter up in. Defaults to every split of the corpus. */
  split?: string;
}

/** The corpus encounters, read once and re-read when medigenLab.corpusFolder changes. */
export class CorpusCache implements vscode.Disposable {
  private cached?: { corpusDir: string; encounters: CorpusEncounter[] };
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('medigenLab.corpusFolder')) this.cached = undefined;
  });

  /** Every encounter of every split (throws a MedigenError when the folder is missing). */
  get(): { corpusDir: string; encounters: CorpusEncounter[] } {
    this.cached ??= loadCorpusEncounters(corpusFolderSetting());
    return this.cached;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

const NO_DIALOGUE_HINT = 'Open a file with a doctor-patient dialogue (or select part of one) and run the command again, or run "MediGen Lab: Generate Note for an Encounter…" to pick one from the corpus.';

/** Resolves the input of a command: `args` first, else the active editor. */
export function resolveInput(args: InputArgs, corpus: CorpusCache, log: (line: string) => void): ResolvedInput {
  if (args.encounterId) {
    const { corpusDir, encounters } = corpus.get();
    const found = findEncounter(encounters, args.encounterId, args.split);
    if (!found) {
      throw new MedigenError(`The corpus in ${corpusDir} has no encounter "${args.encounterId}"${args.split ? ` in the ${args.split} split` : ''}.`, 'Check the encounter id (e.g. D2N068), or set medigenLab.corpusFolder to the corpus that has it.');
    }
    return { input: found.encounter, label: found.encounter.encounterId, reference: { ...found, matchedBy: 'given' } };
  }
  let text: string;
  let label: string;
  let fileName: string | undefined;
  if (args.dialogue !== undefined) {
    text = args.dialogue;
    label = 'dialogue';
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme === NOTE_SCHEME) throw new MedigenError('There is no dialogue in the active editor.', NO_DIALOGUE_HINT);
    const doc = editor.document;
    const selected = editor.selections.filter((s) => !s.isEmpty).map((s) => doc.getText(s)).join('\n');
    text = selected || doc.getText();
    fileName = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    label = `${basename(doc.uri.path) || 'Untitled'}${selected ? ' (selection)' : ''}`;
  }
  if (!text.trim()) throw new MedigenError('The dialogue is empty.', NO_DIALOGUE_HINT);
  let reference: ResolvedInput['reference'];
  try {
    reference = findReference(text, fileName, corpus.get().encounters);
  } catch (e) {
    log(`No reference note lookup: ${(e as Error).message}`);
  }
  if (reference) log(`Reference note: ${reference.encounter.encounterId} (${reference.split}), matched by ${reference.matchedBy}.`);
  return { input: text, label, ...(reference ? { reference } : {}) };
}

/** Asks for a split and an encounter of the configured corpus; undefined when the user cancels. */
export async function pickEncounter(corpus: CorpusCache): Promise<InputArgs | undefined> {
  const { corpusDir, encounters } = corpus.get();
  const splits = availableSplits(corpusDir);
  if (!splits.length) throw new MedigenError(`The corpus folder ${corpusDir} has no ACI-BENCH split files (train.csv, valid.csv, …).`, 'Set medigenLab.corpusFolder to ACI-BENCH\'s challenge_data folder, or clear it to use the sample shipped with MediGen Lab.');
  const split = await vscode.window.showQuickPick(
    splits.map((s) => ({ label: s, description: `${encounters.filter((e) => e.split === s).length} encounters` })),
    { title: 'Generate a note: which split?', placeHolder: `Splits of ${corpusDir}` },
  );
  if (!split) return undefined;
  const picked = await vscode.window.showQuickPick(
    encounters
      .filter((e) => e.split === split.label)
      .map(({ encounter: e }) => ({
        label: e.encounterId,
        description: [e.dataset, e.metadata?.cc].filter(Boolean).join(' · '),
        detail: e.dialogue.split('\n')[0]!.slice(0, 120),
      })),
    { title: `Generate a note: which encounter of ${split.label}?`, matchOnDescription: true, matchOnDetail: true },
  );
  return picked && { split: split.label, encounterId: picked.label };
}
