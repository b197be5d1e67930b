/**
 * UI check of the lesson webview through headless Chromium, like a person would use it: a real
 * VS Code (code-server) with MediGen Lab from this checkout, "MediGen Lab: Continue Learning"
 * from the command palette, then assertions on the text rendered INSIDE the webview iframe, a
 * click on its "Show hint" and "Run Check" buttons (messages webview → extension → webview),
 * and screenshots in test-output/. Exit code 0 only when every assertion held.
 *
 *   node esbuild.mjs && tsx test/ui/lessonWebview.ts      (npm run test:vscode-ui)
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { findRuntime, openWorkbench, startCodeServer, workbenchUrl, type CodeServer, type Workbench } from '../../scripts/vscode/index';

async function lessonFrame(wb: Workbench, text: string, timeoutMs = 60_000): Promise<Frame> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await wb.page.waitForTimeout(300)) {
    for (const f of wb.page.frames()) {
      try {
        if ((await f.locator('body[data-lesson]').count()) > 0 && (await f.getByText(text).count()) > 0) return f;
      } catch {
        // the frame navigated meanwhile
      }
    }
  }
  throw new Error(`No lesson webview frame with "${text}" appeared within ${timeoutMs / 1000} s.`);
}

async function main(): Promise<void> {
  const root = projectRoot();
  const out = join(root, 'test-output');
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'medigen-ui-'));
  const runtime = findRuntime();
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  try {
    // The walkthrough and first lesson of a first start would cover the lesson this test opens.
    server = await startCodeServer(runtime, { env: { MEDIGEN_SANDBOX_DIR: join(tmp, 'sandbox') }, settings: { 'medigenLab.openOnFirstStart': false } });
    const url = workbenchUrl({ serverUrl: server.url, folder: server.folder, extensionDevelopmentPath: root });
    wb = await openWorkbench(url, { chromium: runtime.chromium, ...(process.env.MEDIGEN_UI_VERBOSE ? { onConsole: (line: string, type: string) => console.log(`[VS Code ${type}] ${line.slice(0, 300)}`) } : {}) });
    await wb.runPaletteCommand('MediGen Lab: Continue Learning');
    const frame = await lessonFrame(wb, 'How the corpus is organised');
    console.log('ok - the lesson webview rendered "Meet the data"');

    // Rendered Markdown, sanitized, with the exercise card the script filled in from the extension's state.
    assert.equal(await frame.locator('h1').first().textContent(), 'Meet the data');
    assert.ok((await frame.locator('table th').count()) >= 3, 'the Markdown table is rendered');
    let card = frame.locator('section.exercise[data-exercise="load-a-split"]');
    await card.locator('.status', { hasText: 'not started' }).waitFor({ timeout: 30_000 });
    const hintButton = card.locator('[data-action="nextHint"]');
    await hintButton.filter({ hasText: /Show hint 1 of \d+/ }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('body').getAttribute('data-rendered'), 'true');
    console.log('ok - the exercise card shows its state (not started, hint 1 of N)');
    await wb.screenshot(join(out, 'lesson-webview.png'));

    // "Open the exercise file" opens the student's file from the sandbox in the editor.
    await card.locator('[data-action="openExercise"]').click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'split.ts' }).first().waitFor({ timeout: 30_000 });
    console.log('ok - "Open the exercise file" opened split.ts in the editor');
    card = (await lessonFrame(wb, 'How the corpus is organised')).locator('section.exercise[data-exercise="load-a-split"]');
    const hintButton2 = card.locator('[data-action="nextHint"]');

    // A click in the webview → message to the extension → the store → new state back in the page.
    await hintButton2.click();
    await card.locator('.hints li').first().waitFor({ timeout: 30_000 });
    await hintButton2.filter({ hasText: /Show hint 2 of \d+/ }).waitFor({ timeout: 30_000 });
    console.log('ok - "Show hint" showed the first hint');

    await card.locator('[data-action="runCheck"]').click();
    await card.locator('.last-result', { hasText: /Last check: 0 of \d+ checks pass/ }).waitFor({ timeout: 90_000 });
    await card.locator('.status', { hasText: 'failing' }).waitFor({ timeout: 30_000 });
    await card.locator('.failures li').first().waitFor({ timeout: 30_000 }); // the failing checks are listed
    console.log('ok - "Run Check" ran the checks on the starter: failing, with the failures listed');
    await card.scrollIntoViewIfNeeded();

    // The Lessons tree redraws from the store: the exercise now shows "failing".
    await wb.runPaletteCommand('MediGen Lab: Focus on Lessons View');
    const treeRow = wb.page.locator('.monaco-list-row', { hasText: 'Load a split and count its encounters' });
    await treeRow.filter({ hasText: /failing · 0 of \d+ checks pass/ }).waitFor({ timeout: 30_000 });
    console.log('ok - the Lessons tree shows the exercise as failing');
    await wb.page.waitForTimeout(1000);
    await wb.screenshot(join(out, 'lesson-webview-after-check.png'));

    // Opening the window again brings the lesson back through the panel serializer.
    await wb.page.waitForTimeout(2000); // let VS Code save which editors are open
    // (code-server drops the `payload` URL parameter after loading, so reload the original address.)
    await wb.page.goto(url, { timeout: 120_000 });
    await wb.page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    await wb.page.waitForTimeout(5000);
    await wb.screenshot(join(out, 'lesson-webview-reloaded.png'));
    const revived = await lessonFrame(wb, 'How the corpus is organised', 60_000);
    await revived.locator('section.exercise[data-exercise="load-a-split"] .status', { hasText: 'failing' }).waitFor({ timeout: 30_000 });
    console.log('ok - after a reload the serializer reopened the lesson, with its progress');

    // The walkthrough is listed and shows its four steps.
    await wb.runPaletteCommand('Welcome: Open Walkthrough...');
    const pick = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'MediGen Lab: your first passing check' }).first();
    await pick.waitFor({ timeout: 30_000 });
    await pick.click();
    for (const step of ['Open the MediGen Lab view', 'Start "Meet the data"', 'Open the exercise file', 'Run Check']) {
      await wb.page.locator('.getting-started-step', { hasText: step }).first().waitFor({ timeout: 30_000 });
    }
    console.log('ok - the walkthrough "your first passing check" lists its four steps');
    await wb.screenshot(join(out, 'walkthrough.png'));
    console.log(`Screenshots: ${['lesson-webview.png', 'lesson-webview-after-check.png', 'walkthrough.png'].map((f) => join(out, f)).join(', ')}`);
  } finally {
    await wb?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`not ok - ${describeError(err)}`);
    process.exit(1);
  },
);
