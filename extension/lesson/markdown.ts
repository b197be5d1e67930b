/**
 * Lesson Markdown → HTML for the lesson webview. Lesson text is untrusted input (anyone can
 * publish a module), so the renderer itself allows no script, no event handler and no remote
 * resource: raw HTML is shown as text, links are limited to safe schemes, and images must be files
 * of the module. The webview's Content-Security-Policy is a second wall, not the only one.
 *
 * Plain Node (no `vscode` import), so it is unit-tested directly.
 */
import { Marked, type Tokens } from 'marked';

export interface RenderOptions {
  /** Turns a module-relative image path into a URL the webview may load; undefined = refuse it. */
  resolveImage?: (src: string) => string | undefined;
}

export interface RenderedLesson {
  html: string;
  /** Exercise ids linked from the lesson as `[text](exercise:<id>)`. */
  exerciseLinks: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SAFE_LINK = /^(https?:|mailto:|#)/i;

/** Renders lesson Markdown to sanitized HTML. */
export function renderLesson(markdown: string, opts: RenderOptions = {}): RenderedLesson {
  const exerciseLinks: string[] = [];
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
  return { html, exerciseLinks };
}
