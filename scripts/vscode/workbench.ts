/**
 * Opens code-server's VS Code workbench in headless Chromium (playwright-core) and drives it:
 * extension tests through the `payload` URL parameter, the command palette, text inside webviews,
 * screenshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MedigenError } from '../../core/index';

/** Chromium flags: headless as root, no GPU, no background network traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps',
  '--metrics-recording-only', '--no-default-browser-check',
];

/** What to open. */
export interface WorkbenchTarget {
  /** code-server's base URL, e.g. http://127.0.0.1:41723. */
  serverUrl: string;
  /** Folder to open (absolute path on the server machine). */
  folder: string;
  /** Extension folder to load as in "Run Extension" (absolute). Defaults to none. */
  extensionDevelopmentPath?: string;
  /** Compiled test runner the extension host runs, then closes the window (absolute). Defaults to none. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL for a target. Extension paths travel in the `payload` parameter as
 * `vscode-remote://<host>/<path>` URIs, the mechanism @vscode/test-web uses.
 */
export function workbenchUrl(target: WorkbenchTarget): string {
  const host = new URL(target.serverUrl).host;
  const payload: [string, string][] = [];
  if (target.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${host}${target.extensionDevelopmentPath}`]);
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${target.extensionTestsPath}`]);
  let url = `${target.serverUrl}/?folder=${encodeURIComponent(target.folder)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Options for {@link openWorkbench}. */
export interface OpenWorkbenchOptions {
  /** Chromium executable. */
  chromium: string;
  /** Called with each workbench console line (extension-host output included), cleaned up. Defaults to none. */
  onConsole?: (line: string, type: string) => void;
  /** How long the workbench may take to appear, in ms. Defaults to 180000 (2 busy cores). */
  loadTimeoutMs?: number;
  /** Window size. Defaults to 1400 x 900. */
  viewport?: { width: number; height: number };
}

/** An open workbench page. */
export interface Workbench {
  browser: Browser;
  page: Page;
  /**
   * Waits for the extension-test run to end (the workbench calls `codeAutomationExit(code)`).
   * Resolves the exit code, or null after `timeoutMs` or when `signal` aborts.
   */
  waitForTestExit(timeoutMs: number, signal?: AbortSignal): Promise<number | null>;
  /** Runs a command through the command palette (F1), like a person: `title` as the palette lists it. */
  runPaletteCommand(title: string, timeoutMs?: number): Promise<void>;
  /** Whether `text` appears in the workbench or any webview frame within `timeoutMs` (default 30000). */
  waitForText(text: string, timeoutMs?: number): Promise<boolean>;
  /** Saves a PNG of the whole window. */
  screenshot(path: string): Promise<void>;
  /** Closes Chromium and removes its throwaway folder. */
  close(): Promise<void>;
}

// Extension-host console lines reach the page as "%c<LEVEL> color: #abc %s ..."-style messages.
function cleanConsole(text: string): string {
  return text.replace(/^%c\s*\w+\s+color: #\w+\s*/, '').replace(/%[sdoO]/g, '').replace(/\s+$/, '');
}

/** Launches headless Chromium on `url` and resolves once the VS Code workbench has rendered. */
export async function openWorkbench(url: string, options: OpenWorkbenchOptions): Promise<Workbench> {
  // Chromium keeps crash-report and dconf files in XDG folders: point them at a throwaway folder.
  const xdg = mkdtempSync(join(tmpdir(), 'medigen-chromium-'));
  const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg, XDG_DATA_HOME: xdg };
  const removeXdg = () => rmSync(xdg, { recursive: true, force: true });
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: CHROMIUM_ARGS, env,
    // The caller decides what Ctrl-C does (stop VS Code, clean up); playwright would exit at once.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  }).catch((err: Error) => {
    removeXdg();
    throw new MedigenError(`Chromium (${options.chromium}) did not start: ${err.message.split('\n')[0]}`, 'Reinstall it with "bash scripts/vscode/setup.sh" (Debian package chromium).');
  });
  try {
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    if (options.onConsole) {
      const onConsole = options.onConsole;
      page.on('console', (m) => onConsole(cleanConsole(m.text()), m.type()));
      page.on('pageerror', (e) => onConsole(`page error: ${e.message}`, 'error'));
    }
    let exitCode: number | null = null;
    const exitWaiters: (() => void)[] = [];
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = Number(code);
      for (const w of exitWaiters.splice(0)) w();
    });
    const loadTimeoutMs = options.loadTimeoutMs ?? 180_000;
    await page.goto(url, { timeout: loadTimeoutMs });
    await page.waitForSelector('.monaco-workbench', { timeout: loadTimeoutMs }).catch(() => {
      throw new MedigenError(`The VS Code workbench did not appear within ${loadTimeoutMs / 1000} s.`, 'The machine may be very busy: try again, or give it more time with --load-timeout.');
    });

    return {
      browser,
      page,
      waitForTestExit(timeoutMs, signal) {
        if (exitCode !== null || signal?.aborted) return Promise.resolve(exitCode);
        return new Promise((resolve) => {
          const finish = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', finish);
            page.off('close', finish);
            page.off('crash', finish);
            resolve(exitCode);
          };
          const timer = setTimeout(finish, timeoutMs);
          signal?.addEventListener('abort', finish, { once: true });
          page.once('close', finish);
          page.once('crash', finish); // the page died: no exit code will come
          exitWaiters.push(finish);
        });
      },
      async runPaletteCommand(title, timeoutMs = 60_000) {
        // Right after loading, the workbench may not handle keys or know the extension's commands yet: retry.
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        const until = Date.now() + timeoutMs;
        for (;;) {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          try {
            const input = page.locator('.quick-input-widget input');
            await input.waitFor({ state: 'visible', timeout: 3000 });
            await input.fill(`>${title}`);
            await row.waitFor({ timeout: 3000 });
            break;
          } catch (err) {
            if (Date.now() > until) throw new MedigenError(`The command palette never listed "${title}".`, 'Check the command title in package.json "contributes.commands" (palette shows "Category: Title").', { cause: err });
          }
        }
        await page.keyboard.press('Enter');
      },
      async waitForText(text, timeoutMs = 30_000) {
        // Webviews live in nested iframes (webview host frame, then its "active-frame").
        for (const until = Date.now() + timeoutMs; Date.now() < until; await page.waitForTimeout(500)) {
          for (const frame of page.frames()) {
            try {
              if ((await frame.getByText(text).count()) > 0) return true;
            } catch {
              // frame navigated away meanwhile
            }
          }
        }
        return false;
      },
      async screenshot(path) {
        await page.screenshot({ path });
      },
      // A page still busy with a dead server can make close() slow; after 5 s leave it to
      // playwright, which kills the browser when this process exits.
      close: () => Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5_000).unref())]).then(removeXdg),
    };
  } catch (err) {
    await browser.close().finally(removeXdg);
    throw err;
  }
}
