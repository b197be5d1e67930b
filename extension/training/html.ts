/**
 * The training webviews' HTML shell: a strict Content-Security-Policy (nothing by default, the
 * script only with a fresh nonce, styles and fonts only from the panel's own resource roots).
 * Plain Node, unit-tested.
 */
import { randomBytes } from 'node:crypto';
import { escapeXml } from './chart';

/** A fresh nonce for one render (128 random bits, base64). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** What `webviewPage` needs. */
export interface PageOptions {
  title: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce; required with `scriptUri`. */
  nonce?: string;
  /** Webview URI of the page's script. Defaults to none (a static page). */
  scriptUri?: string;
  /** Webview URI of the page's stylesheet. */
  styleUri: string;
  /** The page body (already escaped HTML). */
  body: string;
}

/** The page's Content-Security-Policy. */
export function pageCsp(cspSource: string, nonce?: string): string {
  return [`default-src 'none'`, `img-src ${cspSource}`, `style-src ${cspSource}`, `font-src ${cspSource}`, nonce ? `script-src 'nonce-${nonce}'` : `script-src 'none'`].join('; ');
}

/** Builds a complete webview page. */
export function webviewPage(o: PageOptions): string {
  const script = o.scriptUri && o.nonce ? `\n  <script nonce="${escapeXml(o.nonce)}" src="${escapeXml(o.scriptUri)}"></script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${pageCsp(o.cspSource, o.nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeXml(o.styleUri)}">
  <title>${escapeXml(o.title)}</title>
</head>
<body>
${o.body}${script}
</body>
</html>`;
}
