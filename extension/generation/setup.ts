/**
 * The VS Code side of the generation settings: reading `medigenLab.*`, helping a student who has
 * no model yet (the tiny test model, or a .gguf file), the one-time warning before dialogue text
 * is sent to a server, and the endpoint's API key in VS Code's secret storage.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { remoteWarning } from '../../models/remote/index';
import { MedigenError } from '../../core/index';
import { ensureTinyModels } from '../../models/tiny/index';
import { downloadWithNotification, recommendedItems, type RecommendedItem } from './recommended';
import { GENERATION_SETTING_KEYS, normalizeSettings, resolveUserPath, type GenerationSettings } from '../../models/generation/index';

/** The SecretStorage key of the endpoint's API key. */
export const API_KEY_SECRET = 'medigenLab.endpointApiKey';
/** globalState key: endpoints (origins) the user agreed to send dialogues to. */
const ACCEPTED_ENDPOINTS = 'medigenLab.acceptedEndpoints';

function workspaceDir(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/**
 * The generation settings from VS Code's configuration, with `overrides` (from a command's
 * argument) on top; paths made absolute against the first workspace folder.
 */
export function readSettings(overrides: Partial<GenerationSettings> = {}): GenerationSettings {
  const cfg = vscode.workspace.getConfiguration('medigenLab');
  const raw: Record<string, unknown> = {};
  for (const k of GENERATION_SETTING_KEYS) raw[k] = cfg.get(k);
  const s = normalizeSettings({ ...raw, ...overrides });
  return { ...s, model: resolveUserPath(s.model, workspaceDir()), lora: resolveUserPath(s.lora, workspaceDir()) };
}

/** The corpus folder setting, made absolute; undefined when empty (ACI_BENCH_DIR, else the shipped sample). */
export function corpusFolderSetting(): string | undefined {
  const v = String(vscode.workspace.getConfiguration('medigenLab').get('corpusFolder') ?? '').trim();
  return v ? resolveUserPath(v, workspaceDir()) : undefined;
}

/** What `chooseModel` did. */
export interface ChooseModelResult {
  /** The model path now in medigenLab.model. */
  model: string;
  /** True for the generated tiny test model (random weights). */
  tiny: boolean;
}

/** How `chooseModel` may be told what to do without asking (tests, command arguments). */
export type ModelChoice = 'tiny' | 'browse' | { recommended: string };

/**
 * Offers the ways to get a model: a recommended model (downloaded into the models folder, with its
 * size, the memory it needs and whether this computer can run it shown first), a .gguf file, or
 * the tiny test model (random weights, for trying the pipeline). `choice` skips the question.
 * Saves the choice in medigenLab.model (user settings) and returns it; undefined when the user
 * cancels (the question or the download).
 */
export async function chooseModel(context: vscode.ExtensionContext, output: vscode.OutputChannel, choice?: ModelChoice, reason?: string): Promise<ChooseModelResult | undefined> {
  const browse: vscode.QuickPickItem = { label: '$(folder-opened) Choose a GGUF File…', detail: 'A .gguf model you already have, e.g. Llama-3.2-1B-Instruct-Q4_K_M.gguf.' };
  const tiny: vscode.QuickPickItem = {
    label: '$(beaker) Create the Tiny Test Model',
    detail: 'RANDOM weights: its notes are gibberish. Only for trying the pipeline (streaming, the prompt, the scores) in a few seconds.',
  };
  let pick: vscode.QuickPickItem | RecommendedItem | undefined;
  if (choice === 'tiny') pick = tiny;
  else if (choice === 'browse') pick = browse;
  else if (choice) {
    const found = (await recommendedItems()).find((i) => i.model.name === choice.recommended);
    if (!found) throw new MedigenError(`"${choice.recommended}" is not in the recommended model list.`, 'Run "MediGen Lab: Choose Model for Note Generation…" from the Command Palette to pick one from the list, or check the medigenLab.modelCatalog setting.');
    pick = found;
  } else {
    const items: Array<vscode.QuickPickItem | RecommendedItem> = [
      { label: 'Recommended models (downloaded once into the models folder)', kind: vscode.QuickPickItemKind.Separator },
      ...(await recommendedItems()),
      { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
      browse,
      tiny,
    ];
    pick = await vscode.window.showQuickPick(items, { title: reason ?? 'Which model should write the notes?', placeHolder: 'A recommended model is downloaded once; sizes, memory and whether this computer can run it are shown', matchOnDetail: true, ignoreFocusOut: true });
  }
  let model: string | undefined;
  if (pick === tiny) {
    const dir = join(context.globalStorageUri.fsPath, 'tiny-models');
    model = (await ensureTinyModels(dir)).model;
    output.appendLine(`Created the tiny test model (random weights, for trying the pipeline): ${model}`);
    void vscode.window.showInformationMessage('The tiny test model is ready. Its weights are random, so its notes are gibberish: it is for trying the pipeline. Choose a recommended model for real notes.');
  } else if (pick === browse) {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'GGUF models': ['gguf'] }, openLabel: 'Use this model', title: 'Choose a .gguf model for note generation' });
    model = files?.[0]?.fsPath;
  } else if (pick && 'model' in pick) {
    if (pick.fit?.level === 'no') {
      const go = 'Download Anyway';
      const answer = await vscode.window.showWarningMessage(`${pick.model.title} is ${pick.fit.text}.`, { modal: true, detail: 'It would not load. Choose a smaller recommended model.' }, go);
      if (answer !== go) return undefined;
    }
    model = await downloadWithNotification(pick.model, output);
  }
  if (!model) return undefined;
  await vscode.workspace.getConfiguration('medigenLab').update('model', model, vscode.ConfigurationTarget.Global);
  return { model, tiny: pick === tiny };
}

/**
 * Before the first use of an endpoint that is not on this machine: a modal warning that dialogue
 * text leaves the machine. Remembers the answer per endpoint origin. True when generation may go on.
 */
export async function confirmEndpoint(context: vscode.ExtensionContext, endpoint: string): Promise<boolean> {
  const warning = remoteWarning(endpoint);
  if (!warning) return true;
  const origin = new URL(endpoint).origin;
  const accepted = context.globalState.get<string[]>(ACCEPTED_ENDPOINTS, []);
  if (accepted.includes(origin)) return true;
  const send = `Send to ${new URL(endpoint).host}`;
  const pick = await vscode.window.showWarningMessage(
    'Dialogue text will leave this computer.',
    { modal: true, detail: `${warning}\n\nMediGen Lab asks once per server. To generate on this computer instead, clear the medigenLab.endpoint setting.` },
    send,
  );
  if (pick !== send) return false;
  await context.globalState.update(ACCEPTED_ENDPOINTS, [...accepted, origin]);
  return true;
}

/**
 * Stores the endpoint's API key in VS Code's secret storage (asking for it when `key` is not
 * given); an empty key removes it. Returns whether a key is stored now, or undefined when cancelled.
 */
export async function setEndpointApiKey(context: vscode.ExtensionContext, key?: string): Promise<{ stored: boolean } | undefined> {
  const value =
    key ??
    (await vscode.window.showInputBox({
      title: 'API key for the note-generation endpoint',
      prompt: 'Kept in VS Code\'s secret storage and sent only to medigenLab.endpoint. Leave empty to remove the stored key.',
      password: true,
      ignoreFocusOut: true,
    }));
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    await context.secrets.delete(API_KEY_SECRET);
    return { stored: false };
  }
  await context.secrets.store(API_KEY_SECRET, value.trim());
  return { stored: true };
}
