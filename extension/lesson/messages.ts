/**
 * Every message between the lesson webview and the extension, as ONE typed map. Plain TypeScript
 * (no `vscode` import): the webview script (webviews/lesson/main.ts) and the extension both use it,
 * and messages coming from the webview are checked with `parseLessonMessage` (the webview shows
 * untrusted lesson text, so its messages are never taken on faith).
 */
import type { ExerciseStatus } from '../../sandbox/index';
import type { CheckFailureView } from './failures';
import { LESSON_COMMAND } from './markdown';

/** One exercise as the lesson page shows it. */
export interface ExerciseView {
  id: string;
  title: string;
  status: ExerciseStatus;
  /** "not started", "failing", "done", ... */
  statusLabel: string;
  /** e.g. "1 of 2 checks pass". */
  lastResult?: string;
  /** The hints opened so far, as sanitized HTML, in order. */
  hintsHtml: string[];
  /** How many hints the exercise has. */
  hintsTotal: number;
  /** True while its check runs. */
  running: boolean;
  /** Failed checks of the last run in this session, for the page to list (with expected and actual). */
  failures: CheckFailureView[];
}

/** Everything the page shows that can change. */
export interface LessonViewState {
  /** False in an untrusted workspace: buttons that run code are off, with the reason. */
  trusted: boolean;
  exercises: ExerciseView[];
}

/**
 * When the page got on screen, measured inside the page (performance.now(), ms after
 * `timeOrigin`). The page is shown by VS Code at its `load` event (the frame stays hidden until
 * then), so "painted" is the first frame after `load`: a requestAnimationFrame, then the next task.
 */
export interface PageTiming {
  /** `performance.timeOrigin` of the page (ms since the epoch): VS Code started loading its document. */
  timeOrigin: number;
  /** The page's script started (the lesson HTML before it is parsed by then). */
  scriptMs: number;
  /** The `load` event: VS Code makes the page visible. */
  loadMs: number;
  /** The first frame with the lesson on screen has been painted. */
  paintedMs: number;
}

/**
 * The message map. `toExtension`: what the page sends; `toWebview`: what the extension sends.
 * Each entry is the message's payload; a message is `{ type, ...payload }`.
 */
export interface LessonMessageMap {
  toExtension: {
    /**
     * The lesson is on screen (painted; its buttons already work); the extension answers with
     * `state`. `pageMs`: ms since the page's document started (= `timing.paintedMs`).
     */
    ready: { pageMs?: number; timing?: PageTiming };
    /** The toolkit components (buttons, tags) are registered and drawn. `pageMs`: ms since the page's document started. */
    hydrated: { pageMs: number };
    /** Open the exercise's file in the editor (starting the exercise first if needed). */
    openExercise: { exerciseId: string };
    /** Run the exercise's checks (through the Testing API). */
    runCheck: { exerciseId: string };
    /** Show the exercise's next hint. */
    nextHint: { exerciseId: string };
    /** Open a web link from the lesson in the user's browser (asks first). */
    openLink: { href: string };
    /** Open VS Code's workspace-trust editor. */
    manageTrust: Record<never, never>;
    /** Run a MediGen Lab command a lesson links to (`command:medigenLab.*`); no other command. */
    runCommand: { command: string; args: unknown[] };
  };
  toWebview: {
    state: { state: LessonViewState };
  };
}

type MessageOf<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];

/** A message from the page to the extension. */
export type ToExtensionMessage = MessageOf<LessonMessageMap['toExtension']>;
/** A message from the extension to the page. */
export type ToWebviewMessage = MessageOf<LessonMessageMap['toWebview']>;

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/** A `PageTiming` with every field a finite, non-negative number, or undefined. */
function parsePageTiming(raw: unknown): PageTiming | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  const { timeOrigin, scriptMs, loadMs, paintedMs } = t;
  return isTime(timeOrigin) && isTime(scriptMs) && isTime(loadMs) && isTime(paintedMs) ? { timeOrigin, scriptMs, loadMs, paintedMs } : undefined;
}

const EXERCISE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Checks a message from the webview: returns it typed, or undefined for anything that is not
 * exactly one of the `toExtension` messages (unknown type, missing or malformed field).
 */
export function parseLessonMessage(raw: unknown): ToExtensionMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready': {
      const timing = parsePageTiming(m.timing);
      return { type: 'ready', ...(isTime(m.pageMs) ? { pageMs: m.pageMs } : {}), ...(timing ? { timing } : {}) };
    }
    case 'hydrated':
      return isTime(m.pageMs) ? { type: 'hydrated', pageMs: m.pageMs } : undefined;
    case 'manageTrust':
      return { type: 'manageTrust' };
    case 'openExercise':
    case 'runCheck':
    case 'nextHint':
      return typeof m.exerciseId === 'string' && EXERCISE_ID.test(m.exerciseId) ? { type: m.type, exerciseId: m.exerciseId } : undefined;
    case 'runCommand':
      return typeof m.command === 'string' && LESSON_COMMAND.test(m.command) && Array.isArray(m.args) && JSON.stringify(m.args).length < 10_000 ? { type: 'runCommand', command: m.command, args: m.args as unknown[] } : undefined;
    case 'openLink':
      return typeof m.href === 'string' && /^(https?:|mailto:)/i.test(m.href) && m.href.length < 2000 ? { type: 'openLink', href: m.href } : undefined;
    default:
      return undefined;
  }
}
