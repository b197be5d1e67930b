/**
 * The extension's handle on the lab: reads the settings, opens the Lab (sandbox + installed
 * modules + progress) on first use and again when the settings change, and fires `onDidChange`
 * whenever modules or progress change, so views redraw from it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { Lab, resolveModulesDir } from '../../curriculum/lab/index';
import { SANDBOX_MARKER } from '../../sandbox/index';

/** The settings MediGen Lab reads (contributes.configuration in package.json). */
export const SETTINGS = {
  section: 'medigenLab',
  sandboxFolder: 'sandboxFolder',
  modulesFolder: 'modulesFolder',
} as const;

/** Where the lab lives, resolved from the settings. */
export interface LabLocation {
  sandboxRoot: string;
  /** Undefined: the default, `labModulesDir(sandbox)` under ~/.medigen/modules (never inside the sandbox). */
  modulesDir?: string;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/**
 * The sandbox folder: setting `medigenLab.sandboxFolder`, else env MEDIGEN_SANDBOX_DIR, else the
 * open folder when it is a sandbox (it holds the marker), else ~/MediGenLab. The modules folder:
 * setting `medigenLab.modulesFolder`, else inside the sandbox.
 */
export function labLocation(): LabLocation {
  const cfg = vscode.workspace.getConfiguration(SETTINGS.section);
  const openSandbox = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' && existsSync(join(f.uri.fsPath, SANDBOX_MARKER)))?.uri.fsPath;
  const sandbox = cfg.get<string>(SETTINGS.sandboxFolder)?.trim() || process.env.MEDIGEN_SANDBOX_DIR || openSandbox || join(homedir(), 'MediGenLab');
  const modules = cfg.get<string>(SETTINGS.modulesFolder)?.trim();
  return { sandboxRoot: resolve(expandHome(sandbox)), ...(modules ? { modulesDir: resolve(expandHome(modules)) } : {}) };
}

export class LabService implements vscode.Disposable {
  private current: { key: string; lab: Promise<Lab>; sub?: { dispose(): void } } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when modules or progress change, or the lab moves to another folder. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly shippedModules: string[],
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS.section)) {
          this.close();
          this.changed.fire();
        }
      }),
    );
  }

  /** ms the lab took to open the last time it was opened (sandbox, modules, progress). */
  lastOpenMs: number | undefined;

  /** The lab, opened (and the shipped modules installed) on first use. */
  get(): Promise<Lab> {
    const loc = labLocation();
    const key = JSON.stringify(loc);
    if (this.current?.key === key) return this.current.lab;
    this.close();
    const entry = { key } as NonNullable<LabService['current']>;
    const started = performance.now();
    entry.lab = Lab.open({ ...loc, shippedModules: this.shippedModules }).then(
      (lab) => {
        this.lastOpenMs = performance.now() - started;
        this.output.appendLine(`Sandbox: ${lab.sandboxRoot} (modules in ${lab.modulesDir}); ${lab.modules.length} module(s) installed; opened in ${Math.round(this.lastOpenMs)} ms.`);
        entry.sub = lab.onDidChange(() => this.changed.fire());
        return lab;
      },
      (err: unknown) => {
        if (this.current === entry) this.current = undefined; // try again next time
        throw err;
      },
    );
    this.current = entry;
    return entry.lab;
  }

  /** The folder the lab's modules are in (and their lesson images), known without opening the lab. */
  modulesDir(): string {
    const loc = labLocation();
    return resolveModulesDir(loc.sandboxRoot, loc.modulesDir);
  }

  /**
   * The lab if it is open or its sandbox folder exists already; undefined otherwise. For
   * background work (the Testing view asking for items) that must not create ~/MediGenLab for
   * someone who never opened a lesson.
   */
  async getIfCreated(): Promise<Lab | undefined> {
    const loc = labLocation();
    if (this.current?.key === JSON.stringify(loc) || existsSync(join(loc.sandboxRoot, '.git'))) return this.get();
    return undefined;
  }

  private close(): void {
    this.current?.sub?.dispose();
    this.current = undefined;
  }

  dispose(): void {
    this.close();
    for (const d of this.disposables) d.dispose();
  }
}
