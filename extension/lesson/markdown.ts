/**
 * Lesson Markdown → HTML for the lesson webview. Lesson text is untrusted input (anyone can
 * publish a module), so the renderer itself allows no script, no event handler and no remote
 * resource: raw HTML is shown as text, links are limited to safe schemes (and `command:` links to
 * MediGen Lab's own `medigenLab.*` commands, run by the extension), and images must be files
 * of the module. The webview's Content-Security-Policy is a second wall, not the only one.
 *
 * Plain Node (no `vscode` import), so it is unit-tested directly.
 */
import type { Tokens } from 'marked';

/**
 * marked, loaded by the first render and not with the extension: it builds its grammar's regular
 * expressions when it loads (~10 ms), which came before VS Code could start creating the lesson's
 * webview. Loaded during that creation instead (esbuild keeps a dynamic import's module unrun).
 */
let markedModule: Promise<typeof import('marked')> | undefined;

export interface RenderOptions {
  /** Turns a module-relative image path into a URL the webview may load; undefined = refuse it. */
  resolveImage?: (src: string) => string | undefined;
}

export interface RenderedLesson {
  html: string;
  /** Exercise ids linked from the lesson as `[text](exercise:<id>)`. */
  exerciseLinks: string[];
  /** MediGen Lab commands linked from the lesson as `[text](command:medigenLab.x)`, with their arguments. */
  commandLinks: CommandLink[];
}

/** A `command:medigenLab.*` link of a lesson. */
export interface CommandLink {
  command: string;
  args: unknown[];
}

/** Only MediGen Lab's own commands may be linked from a lesson. */
export const LESSON_COMMAND = /^medigenLab\.[A-Za-z0-9_.]{1,100}$/;

/**
 * Reads a `command:` link target: `command:medigenLab.x`, optionally with URL-encoded JSON
 * arguments (`command:medigenLab.x?%5B%22arg%22%5D`: an array, or one value). Undefined for any
 * other command, or arguments that are not JSON.
 */
export function parseCommandLink(href: string): CommandLink | undefined {
  const m = /^command:([^?]*)(?:\?(.*))?$/s.exec(href);
  if (!m || !LESSON_COMMAND.test(m[1]!)) return undefined;
  if (m[2] === undefined || m[2] === '') return { command: m[1]!, args: [] };
  try {
    const value: unknown = JSON.parse(decodeURIComponent(m[2]));
    return { command: m[1]!, args: Array.isArray(value) ? value : [value] };
  } catch {
    return undefined;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SAFE_LINK = /^(https?:|mailto:|#)/i;

/** Renders lesson Markdown to sanitized HTML. */
export async function renderLesson(markdown: string, opts: RenderOptions = {}): Promise<RenderedLesson> {
  const { Marked } = await (markedModule ??= import('marked'));
  const exerciseLinks: string[] = [];
  const commandLinks: CommandLink[] = [];
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(token.text);
      },
      link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        const href = token.href.trim();
        const ex = /^exercise:([A-Za-z0-9._-]+)$/.exec(href);
        if (ex) {
          exerciseLinks.push(ex[1]!);
          return `<a href="#" class="exercise-link" data-exercise="${escapeHtml(ex[1]!)}">${text}</a>`;
        }
        if (/^command:/i.test(href)) {
          // MediGen Lab's own commands run through the extension (webview → message); any other command is dropped.
          const cmd = parseCommandLink(href);
          if (!cmd) return `<span class="unsafe-link">${text}</span>`;
          commandLinks.push(cmd);
          return `<a href="#" class="command-link" data-command="${escapeHtml(cmd.command)}" data-args="${escapeHtml(JSON.stringify(cmd.args))}">${text}</a>`;
        }
        if (!SAFE_LINK.test(href)) return `<span class="unsafe-link">${text}</span>`;
        if (href.startsWith('#')) return `<a href="${escapeHtml(href)}">${text}</a>`;
        // External links open in the user's browser through the extension, never inside the webview.
        return `<a href="#" class="external-link" data-href="${escapeHtml(href)}" title="${escapeHtml(href)}">${text}</a>`;
      },
      image(token: Tokens.Image) {
        const src = token.href.trim();
        const local = !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('//') && !src.split(/[\\/]/).includes('..');
        const url = local ? opts.resolveImage?.(src) : undefined;
        if (!url) return `<span class="blocked-image">[image not shown: ${escapeHtml(token.text || src)}]</span>`;
        return `<img src="${escapeHtml(url)}" alt="${escapeHtml(token.text)}">`;
      },
    },
  });
  const html = marked.parse(markdown) as string;
  return { html, exerciseLinks, commandLinks };
}
