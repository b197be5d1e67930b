/**
 * "MediGen Lab: Preview Cleaning" (medigenLab.previewCleaning): a dialogue before and after the
 * chosen preprocessing steps, side by side in VS Code's diff editor. The cleaning itself is the
 * datasets library's (`explainPreprocessing`); this file only asks what to preview and shows it on
 * two read-only `medigen-cleaning:` documents. Nothing is written to disk and the corpus is never
 * changed. Linked from the "Cleaning dialogues" lessons as `[Preview Cleaning](command:medigenLab.previewCleaning)`.
 */
import * as vscode from 'vscode';
import { describeError, MedigenError } from '../../core/index';
import { explainPreprocessing, PREPROCESS_STEPS, STEP_NAMES, type PreprocessConfig, type StepEffect, type StepName } from '../../datasets/index';
import { loadCorpusEncounters } from '../../models/generation/index';
import { corpusFolderSetting } from '../generation/setup';

export const PREVIEW_CLEANING_COMMAND = 'medigenLab.previewCleaning';

/** The URI scheme of the before/after documents. */
export const CLEANING_SCHEME = 'medigen-cleaning';

/** What a caller (a lesson link, a test) may give instead of answering the pickers. */
export interface PreviewCleaningArgs {
  /** The dialogue text to clean. Defaults to an encounter of the corpus. */
  dialogue?: string;
  /** An encounter id of the corpus (any split). Defaults to asking. */
  encounterId?: string;
  /** The steps to run. Defaults to asking, with the default steps ticked. */
  steps?: StepName[];
}

/** What the command showed. */
export interface PreviewCleaningResult {
  /** The encounter previewed, when it came from the corpus. */
  encounterId?: string;
  steps: StepName[];
  before: string;
  after: string;
  /** Each step's changes, line by line. */
  effects: StepEffect[];
  /** URIs of the diff's left (before) and right (after) documents. */
  left: string;
  right: string;
}

/** Read-only documents holding the texts of the previews. */
class CleaningDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  add(title: string, text: string): vscode.Uri {
    const safe = title.replace(/[\\/:*?"<>|#]+/g, ' ').replace(/\s+/g, ' ').trim();
    const uri = vscode.Uri.from({ scheme: CLEANING_SCHEME, path: `/${++this.counter}/${safe}.txt` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This cleaning preview is gone (VS Code was restarted). Run "MediGen Lab: Preview Cleaning" again.';
  }
}

/** The config that switches on exactly `steps`. */
function configOf(steps: readonly StepName[]): PreprocessConfig {
  return Object.fromEntries(STEP_NAMES.map((n) => [n, steps.includes(n)]));
}

async function pickDialogue(args: PreviewCleaningArgs): Promise<{ text: string; encounterId?: string } | undefined> {
  if (args.dialogue !== undefined) return { text: args.dialogue };
  const { corpusDir, encounters } = loadCorpusEncounters(corpusFolderSetting());
  if (encounters.length === 0) throw new MedigenError(`The corpus folder ${corpusDir} has no encounters to preview.`, 'Set "medigenLab.corpusFolder" to ACI-BENCH\'s challenge_data folder, or leave it empty for the shipped sample.');
  if (args.encounterId !== undefined) {
    const found = encounters.find((c) => c.encounter.encounterId === args.encounterId);
    if (!found) throw new MedigenError(`No encounter ${args.encounterId} in the corpus ${corpusDir}.`, 'Run "MediGen Lab: Preview Cleaning" without an encounter to pick one from the list.');
    return { text: found.encounter.dialogue, encounterId: found.encounter.encounterId };
  }
  const picked = await vscode.window.showQuickPick(
    encounters.map((c) => ({ label: c.encounter.encounterId, description: `${c.split} · ${c.encounter.dataset}`, detail: c.encounter.dialogue.split('\n').slice(0, 2).join('  '), c })),
    { title: 'Preview Cleaning (1/2): which dialogue?', placeHolder: 'Type an encounter id, e.g. D2N001', matchOnDescription: true },
  );
  return picked && { text: picked.c.encounter.dialogue, encounterId: picked.c.encounter.encounterId };
}

async function pickSteps(args: PreviewCleaningArgs): Promise<StepName[] | undefined> {
  if (args.steps !== undefined) {
    const unknown = args.steps.filter((s) => !STEP_NAMES.includes(s));
    if (unknown.length) throw new MedigenError(`"${unknown[0]}" is not a cleaning step.`, `The steps are: ${STEP_NAMES.join(', ')}.`);
    return args.steps;
  }
  const picked = await vscode.window.showQuickPick(
    PREPROCESS_STEPS.map((s) => ({ label: s.title, description: s.name, detail: s.description, picked: s.defaultOn, name: s.name })),
    { title: 'Preview Cleaning (2/2): which steps? (the default ones are ticked)', canPickMany: true },
  );
  return picked?.map((p) => p.name);
}

/** Registers the command and its document provider. */
export function registerCleaningFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  const documents = new CleaningDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CLEANING_SCHEME, documents),
    vscode.commands.registerCommand(PREVIEW_CLEANING_COMMAND, async (arg?: unknown): Promise<PreviewCleaningResult | undefined> => {
      const args: PreviewCleaningArgs = arg && typeof arg === 'object' ? (arg as PreviewCleaningArgs) : {};
      try {
        const dialogue = await pickDialogue(args);
        if (!dialogue) return undefined;
        const steps = await pickSteps(args);
        if (!steps) return undefined;
        const shown = explainPreprocessing(dialogue.text, configOf(steps));
        const name = dialogue.encounterId ?? 'dialogue';
        const left = documents.add(`${name} before cleaning`, shown.before);
        const right = documents.add(`${name} after ${steps.length} step${steps.length === 1 ? '' : 's'}`, shown.after);
        await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: before ↔ after cleaning (${steps.length ? steps.join(', ') : 'no steps'})`, { preview: true });
        const changed = shown.steps.filter((s) => s.changes.length > 0);
        output.appendLine(`Preview Cleaning of ${name}: ${shown.steps.map((s) => `${s.step} changed ${s.changes.length} line${s.changes.length === 1 ? '' : 's'}`).join('; ') || 'no steps chosen'}.`);
        if (shown.before === shown.after) {
          void vscode.window.showInformationMessage(steps.length ? `The chosen steps changed nothing in ${name}: it is already clean for them.` : 'No step was chosen, so nothing changed. Run Preview Cleaning again and tick at least one step.');
        } else if (changed.length < steps.length) {
          const idle = shown.steps.filter((s) => s.changes.length === 0).map((s) => s.step);
          output.appendLine(`  These steps found nothing to change in ${name}: ${idle.join(', ')}.`);
        }
        return { ...(dialogue.encounterId !== undefined ? { encounterId: dialogue.encounterId } : {}), steps, before: shown.before, after: shown.after, effects: shown.steps, left: left.toString(), right: right.toString() };
      } catch (err) {
        output.appendLine(`${PREVIEW_CLEANING_COMMAND}: ${describeError(err)}`);
        const hint = err instanceof MedigenError ? err.hint : 'See the "MediGen Lab" output for details.';
        void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err), { detail: hint } as vscode.MessageOptions);
        return undefined;
      }
    }),
  );
}
