/**
 * The note-generation commands. Each one returns what it did (for tests and other extensions)
 * and turns errors into a message with the MedigenError's hint and a button when there is
 * something to click (choose a model, open the setting, set the API key).
 */
import * as vscode from 'vscode';
import { describeError, MedigenError, RemoteHttpError } from '../../core/index';
import type { Progress } from '../../core/index';
import { formatBytes } from '../../models/gguf/index';
import type { NoteDocuments } from './documents';
import type { GenerationEngine } from '../../models/generation/index';
import { pickEncounter, resolveInput, type CorpusCache } from './input';
import { usesEndpoint, type GenerationSettings } from '../../models/generation/index';
import { formatScores, scoreNote, type NoteScoreSummary } from '../../models/generation/index';
import { API_KEY_SECRET, chooseModel, confirmEndpoint, readSettings, setEndpointApiKey, type ModelChoice } from './setup';
import { traceNote } from './faithfulness';
import { guardDialogue } from './guard';

import type { GenerateNoteArgs, GenerateNoteResult, ShowPromptResult } from './results';

export type { GenerateNoteArgs, GenerateNoteResult, ShowPromptResult } from './results';

/** Command ids contributed in package.json. */
export const GENERATION_COMMANDS = {
  generateNote: 'medigenLab.generateNote',
  generateNoteForEncounter: 'medigenLab.generateNoteForEncounter',
  stopGeneration: 'medigenLab.stopGeneration',
  showPrompt: 'medigenLab.showPrompt',
  compareWithReference: 'medigenLab.compareWithReference',
  chooseModel: 'medigenLab.chooseModel',
  setEndpointApiKey: 'medigenLab.setEndpointApiKey',
} as const;


/** A button shown with an error. */
interface Action {
  title: string;
  run: () => unknown;
}

const actionsOf = new WeakMap<object, Action[]>();

function withActions(e: unknown, ...actions: Action[]): unknown {
  if (e && typeof e === 'object' && !actionsOf.has(e)) actionsOf.set(e, actions);
  return e;
}

const openSetting = (key: string): Action => ({ title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', `medigenLab.${key}`) });

/** What the commands need. */
export interface GenerationCommandDeps {
  context: vscode.ExtensionContext;
  output: vscode.OutputChannel;
  engine: GenerationEngine;
  documents: NoteDocuments;
  corpus: CorpusCache;
}

/** A throttled Progress that writes `format(done, total)` into a notification. */
function notificationProgress(p: vscode.Progress<{ message?: string }>, format: (done: number, total: number) => string): Progress {
  let last = '';
  return {
    report(done, total) {
      const m = format(done, total);
      if (m !== last) p.report({ message: (last = m) });
    },
  };
}

/** Registers the generation commands. */
export function registerGenerationCommands(deps: GenerationCommandDeps): { stop(): boolean } {
  const { context, output, engine, documents, corpus } = deps;
  let current: AbortController | undefined;
  const log = (line: string) => output.appendLine(line);
  const chooseModelAction: Action = { title: 'Choose Model…', run: () => vscode.commands.executeCommand(GENERATION_COMMANDS.chooseModel) };
  const encounterAction: Action = { title: 'Pick an Encounter…', run: () => vscode.commands.executeCommand(GENERATION_COMMANDS.generateNoteForEncounter) };

  const register = <A extends unknown[], R>(id: string, fn: (...args: A) => Promise<R | undefined>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: A) => {
        try {
          return await fn(...args);
        } catch (err) {
          log(`${id}: ${describeError(err)}`);
          const actions = [...(actionsOf.get(err as object) ?? []), { title: 'Show Output', run: () => output.show() }];
          const hint = err instanceof MedigenError ? err.hint : 'See the "MediGen Lab" output for details.';
          void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err), { detail: hint } as vscode.MessageOptions, ...actions.map((a) => a.title)).then((t) => actions.find((a) => a.title === t)?.run());
          return undefined;
        }
      }),
    );

  /** Settings, with a model chosen or the endpoint confirmed; undefined when the user cancels. */
  const prepare = async (args: GenerateNoteArgs): Promise<{ settings: GenerationSettings; apiKey?: string } | undefined> => {
    let settings: GenerationSettings;
    try {
      settings = readSettings(args.settings);
    } catch (e) {
      throw withActions(e, openSetting(''));
    }
    if (usesEndpoint(settings)) {
      if (!(await confirmEndpoint(context, settings.endpoint))) return undefined;
      const apiKey = await context.secrets.get(API_KEY_SECRET);
      return { settings, ...(apiKey ? { apiKey } : {}) };
    }
    if (!settings.model) {
      const chosen = await chooseModel(context, output, undefined, 'No model is set for note generation (setting medigenLab.model).');
      if (!chosen) return undefined;
      settings = { ...settings, model: chosen.model };
    }
    return { settings };
  };

  const backendActions = (settings: GenerationSettings, e: unknown): Action[] =>
    usesEndpoint(settings)
      ? [openSetting('endpoint'), ...(e instanceof RemoteHttpError && (e.status === 401 || e.status === 403) ? [{ title: 'Set API Key…', run: () => vscode.commands.executeCommand(GENERATION_COMMANDS.setEndpointApiKey) }] : [])]
      : [chooseModelAction, openSetting('model')];

  /**
   * The dialogue to work on, then the settings and key; undefined when the user backed out. An error
   * offers to pick an encounter for the same command (`pick`): Show Prompt's only shows a prompt.
   */
  const inputAndBackend = async (args: GenerateNoteArgs, pick: Action = encounterAction) => {
    let resolved;
    try {
      resolved = resolveInput(args, corpus, log);
    } catch (e) {
      throw withActions(e, pick);
    }
    const ready = await prepare(args);
    return ready ? { resolved, ready } : undefined;
  };

  const generate = async (args: GenerateNoteArgs = {}): Promise<GenerateNoteResult | undefined> => {
    if (current) throw new MedigenError('A note is already being generated.', 'Wait for it to finish, or stop it with "MediGen Lab: Stop Generation".');
    const started = await inputAndBackend(args);
    if (!started) return undefined;
    const { resolved, ready } = started;
    const { settings, apiKey } = ready;
    const guarded = usesEndpoint(settings) ? await guardDialogue(resolved.input, settings.endpoint, log, args.phi) : { input: resolved.input, choice: undefined };
    if (!guarded) return undefined;
    const ref = resolved.reference;
    const doc = documents.create('note', `Note for ${resolved.label}`);
    const refDoc = ref ? documents.create('reference', `Reference note ${ref.encounter.encounterId}`, ref.encounter.note) : undefined;
    if (refDoc) doc.reference = refDoc.uri;
    const abort = new AbortController();
    current = abort;
    void vscode.commands.executeCommand('setContext', 'medigenLab.generating', true);
    documents.setGenerating(doc, true);
    log(`Generating a note for ${resolved.label} with ${usesEndpoint(settings) ? `${settings.endpoint} (${settings.endpointModel || 'its model'})` : settings.model} (grammar ${settings.grammar}, temperature ${settings.temperature}, seed ${settings.seed}, up to ${settings.maxTokens} tokens).`);
    let result;
    try {
      await vscode.window.showTextDocument(doc.uri, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Generating a note for ${resolved.label}`, cancellable: true }, (p, token) => {
        token.onCancellationRequested(() => abort.abort());
        let chars = 0;
        return engine.generate(guarded.input, settings, {
          signal: abort.signal,
          ...(apiKey ? { apiKey } : {}),
          loadProgress: notificationProgress(p, (d) => `loading the model… ${d}%`),
          downloadProgress: notificationProgress(p, (d, t) => `downloading the model… ${formatBytes(d)} of ${formatBytes(t)}`),
          onTextChunk: (t) => {
            documents.append(doc, t);
            const before = Math.floor(chars / 200);
            chars += t.length;
            if (Math.floor(chars / 200) !== before) p.report({ message: `${chars} characters written (Cancel keeps the text so far)` });
          },
        });
      });
    } catch (e) {
      if (abort.signal.aborted) result = { text: doc.text, stopReason: 'abort', stopped: true, ms: 0, backend: usesEndpoint(settings) ? ('remote' as const) : ('local' as const), model: settings.model };
      else {
        documents.setText(doc, doc.text || `No note: ${e instanceof Error ? e.message : String(e)}`);
        await documents.settled(doc);
        throw withActions(e, ...backendActions(settings, e));
      }
    } finally {
      current = undefined;
      void vscode.commands.executeCommand('setContext', 'medigenLab.generating', false);
      documents.setGenerating(doc, false);
    }
    documents.setText(doc, result.text);
    try {
      traceNote(documents, doc, resolved.input, resolved.label);
    } catch (e) {
      log(`Could not check the note against the dialogue: ${describeError(e)}`);
    }
    let scores: NoteScoreSummary | undefined;
    if (ref) {
      scores = await scoreNote(result.text, ref.encounter, ref.split);
      documents.setScores(doc, scores);
    }
    await documents.settled(doc);
    const tokens = result.generatedTokens !== undefined ? `${result.generatedTokens} tokens` : `${result.text.length} characters`;
    const speed = result.generatedTokens && result.ms > 0 ? ` in ${(result.ms / 1000).toFixed(1)} s (${((result.generatedTokens * 1000) / result.ms).toFixed(1)} tokens/s)` : '';
    const summary = result.stopped
      ? `Stopped. The note so far (${tokens}) stays open.`
      : /maxTokens|length/.test(result.stopReason)
        ? `The note reached the ${settings.maxTokens}-token limit and was cut off (${tokens}${speed}). Raise medigenLab.maxTokens for longer notes.`
        : `Note generated: ${tokens}${speed}.`;
    const scoreText = scores ? ` Against the reference ${scores.encounterId}: ${formatScores(scores.full)}.` : '';
    log(`${summary}${scoreText}`);
    void vscode.window.showInformationMessage(`${summary}${scoreText}`, ...(scores ? ['Compare with Reference'] : [])).then((t) => t && vscode.commands.executeCommand(GENERATION_COMMANDS.compareWithReference, doc.uri.toString()));
    return {
      uri: doc.uri.toString(),
      text: result.text,
      stopReason: result.stopReason,
      stopped: result.stopped,
      ...(result.generatedTokens !== undefined ? { generatedTokens: result.generatedTokens } : {}),
      ...(result.promptTokens !== undefined ? { promptTokens: result.promptTokens } : {}),
      backend: result.backend,
      model: result.model,
      ...(ref && refDoc ? { reference: { encounterId: ref.encounter.encounterId, split: ref.split, matchedBy: ref.matchedBy, uri: refDoc.uri.toString() } } : {}),
      ...(scores ? { scores } : {}),
      ...(doc.trace ? { faithfulness: { sentences: doc.trace.sentences.length, unsupported: doc.trace.sentences.filter((s) => !s.supported).length, dialogue: doc.trace.dialogue.toString() } } : {}),
      ...(guarded.choice ? { phi: guarded.choice } : {}),
    };
  };

  const stop = (): boolean => {
    if (!current) return false;
    current.abort();
    return true;
  };

  register(GENERATION_COMMANDS.generateNote, (args?: GenerateNoteArgs) => generate(args ?? {}));

  register(GENERATION_COMMANDS.generateNoteForEncounter, async (args?: GenerateNoteArgs) => {
    if (args?.encounterId) return generate(args);
    const picked = await pickEncounter(corpus);
    return picked && generate({ ...args, ...picked });
  });

  register(GENERATION_COMMANDS.stopGeneration, async () => {
    const stopped = stop();
    if (!stopped) void vscode.window.showInformationMessage('No note is being generated right now.');
    return { stopped };
  });

  register(GENERATION_COMMANDS.showPrompt, async (args: GenerateNoteArgs = {}): Promise<ShowPromptResult | undefined> => {
    const promptForEncounter: Action = {
      title: 'Pick an Encounter…',
      run: async () => {
        const picked = await pickEncounter(corpus);
        if (picked) await vscode.commands.executeCommand(GENERATION_COMMANDS.showPrompt, { ...args, ...picked });
      },
    };
    const started = await inputAndBackend(args, promptForEncounter);
    if (!started) return undefined;
    const { resolved, ready } = started;
    let view;
    try {
      view = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Preparing the prompt', cancellable: true }, (p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return engine.prompt(resolved.input, ready.settings, { signal: abort.signal, loadProgress: notificationProgress(p, (d) => `loading the model… ${d}%`) });
      });
    } catch (e) {
      throw withActions(e, ...backendActions(ready.settings, e));
    }
    const count = view.tokenCount !== undefined ? ` (${view.tokenCount} tokens)` : '';
    const doc = documents.create('prompt', `Prompt for ${resolved.label}${count}`, view.text);
    await vscode.window.showTextDocument(doc.uri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    const message =
      view.tokenCount !== undefined
        ? `The prompt is ${view.tokenCount} tokens, exactly as the model reads them (its chat template's special tokens written out). A note can add up to ${ready.settings.maxTokens} more.`
        : 'These are the two messages sent to the endpoint; the server applies its own chat template, so the token count is not known here.';
    log(`Prompt for ${resolved.label}: ${message}`);
    void vscode.window.showInformationMessage(message);
    return { uri: doc.uri.toString(), text: view.text, ...(view.tokenCount !== undefined ? { tokenCount: view.tokenCount } : {}), backend: view.backend };
  });

  register(GENERATION_COMMANDS.compareWithReference, async (arg?: string | vscode.Uri) => {
    const uri = arg ?? vscode.window.activeTextEditor?.document.uri;
    const doc = uri ? documents.get(uri) : undefined;
    if (!doc || doc.kind !== 'note') throw new MedigenError('There is no generated note to compare.', 'Generate a note first ("MediGen Lab: Generate Note"), then run this command with the note open.');
    if (!doc.reference) throw withActions(new MedigenError('This note has no reference note to compare with.', 'Generate the note for an encounter of the corpus ("MediGen Lab: Generate Note for an Encounter…"): its doctor-written note is the reference.'), encounterAction);
    const id = doc.scores?.encounterId ?? 'reference';
    await vscode.commands.executeCommand('vscode.diff', doc.reference, doc.uri, `Reference ${id} ↔ Generated note`, { preview: false });
    return { left: doc.reference.toString(), right: doc.uri.toString() };
  });

  register(GENERATION_COMMANDS.chooseModel, (choice?: ModelChoice) => chooseModel(context, output, choice));

  register(GENERATION_COMMANDS.setEndpointApiKey, async (key?: string) => {
    const r = await setEndpointApiKey(context, key);
    if (r) void vscode.window.showInformationMessage(r.stored ? 'The API key is stored in VS Code\'s secret storage and will be sent only to medigenLab.endpoint.' : 'The stored API key was removed.');
    return r;
  });

  return { stop };
}
