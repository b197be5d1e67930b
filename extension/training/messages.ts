/**
 * The messages between the extension and the training webviews (run form, dashboard), typed on
 * both sides. Messages from a webview are checked with `parse…Message` before use.
 */
import type { ConfigProblem } from '../../models/train/index';
import type { DashboardView } from './dashboardModel';
import type { FormGroup } from './formModel';
import type { EnvironmentView, GpuPath, MemoryView, RunVerdict } from '../../models/train/index';

/** Extension → run form. */
export type ToFormMessage =
  | { type: 'init'; groups: FormGroup[]; config: unknown; estimateOptions: string[]; trainingFolder: string }
  | { type: 'validation'; problems: ConfigProblem[]; /** Counts the extension's validations, echoed by 'rendered'. */ seq: number }
  | { type: 'memory'; memory: MemoryView | { error: string } }
  | { type: 'environment'; environment: EnvironmentView | { checking: true } }
  | { type: 'setup'; running: boolean; text: string; failed?: boolean }
  | { type: 'setField'; path: string; value: string }
  /** Whether the chosen run can start on this machine (Launch is disabled with the reason when not), what the machine can do, and the GPU paths. */
  | { type: 'verdict'; verdict: RunVerdict | { checking: true }; machine?: string; gpuPaths: GpuPath[] };

/** Run form → extension. */
export type FromFormMessage =
  | { type: 'ready' }
  | { type: 'change'; inputs: Record<string, string | boolean>; estimateAs: string; freeGiB: string }
  | { type: 'save' }
  | { type: 'launch' }
  | { type: 'setupEnvironment' }
  | { type: 'checkEnvironment' }
  | { type: 'browseModel' }
  /** Makes the CPU course model (when missing) and fills in the CPU course setting. */
  | { type: 'useCourseSetting' }
  /** Sent after each redraw: how many problems the page shows (lets tests see the page itself). */
  | { type: 'rendered'; problems: number; /** The validation drawn. */ seq: number };

/** Extension → dashboard. */
export type ToDashboardMessage = { type: 'state'; view: DashboardView } | { type: 'busy'; text: string | null };

/** Dashboard → extension. */
export type FromDashboardMessage =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'resume' }
  | { type: 'evaluate' }
  | { type: 'openLog' }
  | { type: 'openFolder' }
  | { type: 'newFromConfig' }
  | { type: 'setupEnvironment' }
  /** Sent after each redraw, with what the page now shows. */
  | { type: 'rendered'; step: number; status: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A checked run-form message, or undefined for anything else. */
export function parseFormMessage(raw: unknown): FromFormMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'save':
    case 'launch':
    case 'setupEnvironment':
    case 'checkEnvironment':
    case 'browseModel':
    case 'useCourseSetting':
      return { type: raw.type };
    case 'change': {
      if (!isRecord(raw.inputs)) return undefined;
      const inputs: Record<string, string | boolean> = {};
      for (const [k, v] of Object.entries(raw.inputs)) if (typeof v === 'string' || typeof v === 'boolean') inputs[k] = v;
      return { type: 'change', inputs, estimateAs: typeof raw.estimateAs === 'string' ? raw.estimateAs : 'auto', freeGiB: typeof raw.freeGiB === 'string' ? raw.freeGiB : '' };
    }
    case 'rendered':
      return typeof raw.problems === 'number' && typeof raw.seq === 'number' ? { type: 'rendered', problems: raw.problems, seq: raw.seq } : undefined;
    default:
      return undefined;
  }
}

/** A checked dashboard message, or undefined for anything else. */
export function parseDashboardMessage(raw: unknown): FromDashboardMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'cancel':
    case 'resume':
    case 'evaluate':
    case 'openLog':
    case 'openFolder':
    case 'newFromConfig':
    case 'setupEnvironment':
      return { type: raw.type };
    case 'rendered':
      return typeof raw.step === 'number' && typeof raw.status === 'string' ? { type: 'rendered', step: raw.step, status: raw.status } : undefined;
    default:
      return undefined;
  }
}
