/**
 * The settings the training features read (contributed in package.json under `medigenLab.*`).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { readyVenvPython } from '../../models/train/index';

/** Setting names. */
export const SETTINGS = {
  trainingFolder: 'trainingFolder',
  trainingPython: 'trainingPython',
  trainerScript: 'trainerScript',
  evaluateLimit: 'evaluateLimit',
  model: 'model',
  threads: 'threads',
  maxTokens: 'maxTokens',
} as const;

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('medigenLab');
}

function text(key: string): string {
  const v = cfg().get<string>(key);
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * The folder run configs, runs and the training environment live in: `medigenLab.trainingFolder`;
 * empty: the first workspace folder, else ~/MediGenLab. Never an untrusted workspace folder: its
 * `.medigen/train-venv` Python (run by the environment check) could be anyone's program.
 */
export function trainingFolder(): string {
  const set = text(SETTINGS.trainingFolder);
  if (set) return resolve(set.replace(/^~(?=$|[/\\])/, homedir()));
  const workspace = vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath : undefined;
  return workspace ?? join(homedir(), 'MediGenLab');
}

/** The virtual environment "Set Up Training Environment" creates (as `medigen train setup` does). */
export function defaultVenv(): string {
  return join(trainingFolder(), '.medigen', 'train-venv');
}

/** `medigenLab.trainingPython`; empty: the set-up environment once it finished installing, else python3. */
export function trainingPython(): string {
  const set = text(SETTINGS.trainingPython);
  if (set) return set;
  return readyVenvPython(defaultVenv()) ?? 'python3';
}

/** `medigenLab.trainerScript` (for tests and custom trainers); undefined: MediGen Lab's trainer.py. */
export function trainerScriptSetting(): string | undefined {
  const set = text(SETTINGS.trainerScript);
  if (!set) return undefined;
  return isAbsolute(set) ? set : resolve(trainingFolder(), set);
}

/**
 * `medigenLab.model`: the GGUF base model generation (and adapter evaluation) uses; a relative
 * path starts at the workspace folder, an hf: URI is kept as is. Empty when not set.
 */
export function ggufModel(): string {
  const set = text(SETTINGS.model);
  if (!set || /^[a-z]+:/i.test(set) || isAbsolute(set)) return set;
  return resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? trainingFolder(), set);
}

/** `medigenLab.maxTokens` when set (tokens per generated note); else undefined (the library's default). */
export function maxNoteTokens(): number | undefined {
  const n = cfg().get<number>(SETTINGS.maxTokens);
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `medigenLab.evaluateLimit`: encounters per model when evaluating an adapter (0: all). */
export function evaluateLimit(): number {
  const n = cfg().get<number>(SETTINGS.evaluateLimit);
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/** `medigenLab.threads` when set (a positive whole number); else undefined (the library's choice). */
export function generationThreads(): number | undefined {
  const n = cfg().get<number>(SETTINGS.threads);
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
