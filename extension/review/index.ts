/**
 * Clinician review in VS Code: "MediGen Lab: Review Notes…" opens one or two predictions CSVs
 * (two are shown blind, in a recorded random order) against their dialogues in the review panel.
 * extension.ts calls `registerReviewFeatures` from activate.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { MedigenError } from '../../core/index';
import { SPLITS } from '../../datasets/index';
import { ReviewSession, type FaithfulnessTracer } from '../../models/review/index';
import { traceFaithfulness } from '../../models/safety/index';
import { showError } from '../training/index';
import { ReviewPanel } from './panel';

/** Command ids contributed in package.json. */
export const REVIEW_COMMANDS = { reviewNotes: 'medigenLab.reviewNotes' } as const;

/** The arguments of `medigenLab.reviewNotes` when called from code (tests); without them it asks. */
export interface ReviewNotesArgs {
  /** One predictions CSV, or two to compare blind. */
  predictions: string[];
  /** A split name or a CSV with the dialogues. Defaults to the first predictions CSV (it then needs a dialogue column). */
  gold?: string;
  reviewer: string;
  /** The reviewer's file; resumed when it exists. */
  out: string;
  corpus?: string;
  seed?: string;
  limit?: number;
}

/** What the review features expose (part of the extension's API, used by integration tests). */
export interface ReviewApi {
  /** The open review panel, if any. */
  panel(): ReviewPanel | undefined;
}

/** The faithfulness tracer behind the highlights. */
const tracer: FaithfulnessTracer = (dialogue, note) => traceFaithfulness(dialogue, note);

function corpusSetting(): string | undefined {
  return vscode.workspace.getConfiguration('medigenLab').get<string>('corpusFolder')?.trim() || undefined;
}

/** Asks for the predictions, the dialogues, the reviewer and the review file; undefined when cancelled. */
async function askArgs(): Promise<ReviewNotesArgs | undefined> {
  const preds = await vscode.window.showOpenDialog({ canSelectMany: true, filters: { 'Predictions CSV': ['csv'] }, openLabel: 'Review', title: 'Choose the generated notes to review (a CSV with encounter_id and note; choose two to compare them blind)' });
  if (!preds?.length) return undefined;
  if (preds.length > 2) throw new MedigenError(`Review mode compares one or two predictions files, not ${preds.length}.`, 'Run "Review Notes…" again and choose one CSV, or two to compare them blind.');
  const csv = 'A CSV file with the dialogues…';
  const itself = 'In the predictions CSV itself';
  const pick = await vscode.window.showQuickPick(
    [...SPLITS.map((s) => ({ label: s, description: 'ACI-BENCH split' })), { label: csv, description: 'columns encounter_id and dialogue' }, { label: itself, description: 'it has a dialogue column' }],
    { title: 'Where are the dialogues of these notes?', placeHolder: 'The split the notes were generated from' },
  );
  if (!pick) return undefined;
  let gold: string | undefined = pick.label;
  if (gold === itself) gold = undefined;
  else if (gold === csv) {
    const g = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv'] }, title: 'Choose the CSV with the dialogues' });
    if (!g?.[0]) return undefined;
    gold = g[0].fsPath;
  }
  const reviewer = await vscode.window.showInputBox({ title: 'Your name (or initials)', prompt: 'It goes into your review file, so the reviews of several people can be compared.', validateInput: (v) => (v.trim() ? undefined : 'Type a name or initials.') });
  if (!reviewer) return undefined;
  const slug = reviewer.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'reviewer';
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(dirname(preds[0]!.fsPath), `review-${slug}.json`)), filters: { 'Review file': ['json'] }, title: 'Save your review to (an existing review file is continued)' });
  if (!target) return undefined;
  const corpus = corpusSetting();
  return { predictions: preds.map((p) => p.fsPath), ...(gold ? { gold } : {}), reviewer, out: target.fsPath, ...(corpus ? { corpus } : {}) };
}

/** Registers the review command. */
export function registerReviewFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): ReviewApi {
  const deps = { extensionUri: context.extensionUri, output };
  context.subscriptions.push(
    { dispose: () => ReviewPanel.current?.dispose() },
    vscode.commands.registerCommand(REVIEW_COMMANDS.reviewNotes, async (given?: ReviewNotesArgs): Promise<ReviewPanel | undefined> => {
      try {
        const args = given ?? (await askArgs());
        if (!args) return undefined;
        const resumed = existsSync(args.out);
        const session = ReviewSession.open({ ...args, predictions: args.predictions.map((file) => ({ file })), ...(args.corpus ?? corpusSetting() ? { corpus: args.corpus ?? corpusSetting()! } : {}) });
        const { rated, total } = session.progress();
        output.appendLine(`Review: ${resumed ? 'continuing' : 'started'} ${session.file} (${rated} of ${total} notes rated${session.review.blind ? ', two systems shown blind' : ''}).`);
        return await ReviewPanel.show(deps, session, tracer);
      } catch (err) {
        showError(err, { output });
        return undefined;
      }
    }),
  );
  return { panel: () => ReviewPanel.current };
}
