/**
 * The built files the lesson page inlines (dist/webviews/lesson.js and lesson.css, from
 * webviews/lesson/ by esbuild.mjs), read once and again only when a rebuild changed them.
 * Plain Node (no `vscode` import).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';

/** The page's script and stylesheet, as text. */
export interface LessonPageAssets {
  script: string;
  style: string;
}

const cache = new Map<string, { stamp: string; text: string }>();

function readCached(file: string): string {
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    throw new MedigenError(`The lesson page's file ${file} is missing: MediGen Lab was not built completely.`, 'Run "npm run build" (or "node esbuild.mjs") in the MediGen Lab folder, then open the lesson again.');
  }
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.text;
  // Inlined in the page, a relative source-map link would point nowhere: drop it.
  const text = readFileSync(file, 'utf8').replace(/\n?(\/\/# sourceMappingURL=\S+|\/\*# sourceMappingURL=\S+ \*\/)\s*$/, '\n');
  cache.set(file, { stamp, text });
  return text;
}

/** Reads (or reuses) the lesson page's script and stylesheet from `webviewsDir` (dist/webviews). */
export function lessonPageAssets(webviewsDir: string): LessonPageAssets {
  return { script: readCached(join(webviewsDir, 'lesson.js')), style: readCached(join(webviewsDir, 'lesson.css')) };
}
