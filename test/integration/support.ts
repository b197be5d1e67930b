/**
 * Shared by the integration suites (bundled into each of them by esbuild.mjs; not a suite itself,
 * since the runners only load `*.test.cjs`).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MedigenLabApi } from '../../extension/extension';

export const EXTENSION_ID = 'medigen-lab.medigen-lab';

/** MediGen Lab's API, activating the extension first when it is not active yet. */
export async function medigenApi(): Promise<MedigenLabApi> {
  const ext = vscode.extensions.getExtension<MedigenLabApi>(EXTENSION_ID);
  assert.ok(ext, `VS Code did not load ${EXTENSION_ID}`);
  return ext.activate();
}

/** Polls `fn` every 200 ms until it returns something truthy; fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 200))) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
  }
}
