/**
 * MediGen Lab's VS Code extension. VS Code loads it lazily (dist/extension.cjs, from entry.ts, runs
 * this file's bundle dist/extensionMain.cjs with V8's code cache): when
 * one of the contributed commands runs, the MediGen Lab view opens, or a lesson panel is restored
 * (activationEvents: onWebviewPanel; the rest VS Code derives from `contributes`), never at start-up.
 * Each feature registers itself (extension/register.ts); this file only wires them up.
 */
import * as vscode from 'vscode';
import { LessonPanel, type LessonPageSnapshot, type LessonRenderTiming } from './lesson/panel';
import { registerLabFeatures, type LabFeatures } from './register';
import { FIRST_START_SHOWN, openOnFirstStart } from './firstStart';
import { registerCleaningFeatures } from './cleaning/preview';
import { registerGenerationFeatures } from './generation/index';
import { registerReviewFeatures, type ReviewApi } from './review/index';
import { registerTrainingFeatures, type TrainingApi } from './training/index';

/** Name of the output channel every MediGen Lab feature writes its log lines to. */
export const OUTPUT_CHANNEL_NAME = 'MediGen Lab';

/** Command identifiers contributed in package.json. */
export const COMMANDS = {
  showVersion: 'medigenLab.showVersion',
} as const;

/** What `medigenLab.showVersion` returns (and shows): the versions a bug report needs. */
export interface VersionInfo {
  /** MediGen Lab's own version, from its package.json. */
  extension: string;
  /** The running VS Code version (`vscode.version`). */
  vscode: string;
  /** The Node.js version of the extension host. */
  node: string;
  /** The one-line message shown to the user and written to the output channel. */
  message: string;
}

/** What `activate` returns; other extensions and the integration tests reach it as `exports`. */
export interface MedigenLabApi {
  /** MediGen Lab's version, from its package.json. */
  readonly version: string;
  /** The "MediGen Lab" output channel. */
  readonly output: vscode.OutputChannel;
  /** The lesson features: the lab (sandbox, modules, progress), the checks' TestController, the tree. */
  readonly lessons: LabFeatures;
  /** The fine-tuning features: run manager, run history, open forms and dashboards. */
  readonly training: TrainingApi;
  /** Clinician review: the open review panel. */
  readonly review: ReviewApi;
  /** Where activation's time went (loading the bundle, activate()), for the benchmark. */
  readonly activation: ActivationTiming;
  /** Timings of the lesson panel's last render (HTML set, page painted, buttons upgraded), for the benchmark. */
  readonly lessonTiming: () => LessonRenderTiming | undefined;
  /** What the lesson panel shows now (page HTML and state), or undefined when no lesson is open. */
  readonly lessonPage: () => LessonPageSnapshot | undefined;
  /** Settles once the first-start walkthrough and lesson are open (true), or were not due (false). */
  readonly firstStart: Promise<boolean>;
  /** Whether this VS Code profile has had its first start (globalState): then it never opens again. */
  readonly firstStartShown: () => boolean;
}

/** When this module's code ran: after every module it imports (the bundle's banner notes when it started). */
const MODULES_LOADED_AT = performance.now();

/** Where activation's time went, in ms of the extension host's clock (performance.now()). */
export interface ActivationTiming {
  /** The bundle started running: dist/extension.cjs, which compiles and runs extensionMain.cjs (undefined when not run from the bundle). */
  bundleStart?: number;
  /** Whether that start had V8's code cache for the bundle (entry.ts). */
  codeCache?: string;
  /** Every module's top-level code had run. */
  modulesLoaded: number;
  activateStart: number;
  activateEnd: number;
}

/** Called by VS Code the first time a MediGen Lab command runs. */
export function activate(context: vscode.ExtensionContext): MedigenLabApi {
  const activateStart = performance.now();
  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.showVersion, () => showVersion(version, output)),
  );
  const lessons = registerLabFeatures(context, output);
  registerGenerationFeatures(context, output);
  registerCleaningFeatures(context, output);
  const training = registerTrainingFeatures(context, output);
  const review = registerReviewFeatures(context, output);
  output.appendLine(`MediGen Lab ${version} started in VS Code ${vscode.version}.`);
  // Not awaited: activation stays quick; the walkthrough and lesson open right after it.
  const firstStart = openOnFirstStart(context, output);
  const { __medigenBundleStart: bundleStart, __medigenCodeCache: codeCache } = globalThis as { __medigenBundleStart?: number; __medigenCodeCache?: string };
  const activation: ActivationTiming = { ...(bundleStart !== undefined ? { bundleStart } : {}), ...(codeCache !== undefined ? { codeCache } : {}), modulesLoaded: MODULES_LOADED_AT, activateStart, activateEnd: performance.now() };
  return { version, output, lessons, training, review, activation, lessonTiming: () => LessonPanel.active?.lastTiming, lessonPage: () => LessonPanel.active?.snapshot(), firstStart, firstStartShown: () => context.globalState.get(FIRST_START_SHOWN) === true };
}

/** Called by VS Code on shutdown; everything to dispose is in `context.subscriptions`. */
export function deactivate(): void {}

function showVersion(version: string, output: vscode.OutputChannel): VersionInfo {
  const node = process.versions.node;
  const message =
    `MediGen Lab ${version} is running in VS Code ${vscode.version} (Node.js ${node}). ` +
    'Open the command palette (F1) and type "MediGen" to see what it can do.';
  output.appendLine(message);
  // Not awaited: the promise only settles when the user closes the notification.
  void vscode.window.showInformationMessage(message);
  return { extension: version, vscode: vscode.version, node, message };
}
