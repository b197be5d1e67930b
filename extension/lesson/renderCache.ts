/**
 * Rendered lesson Markdown, kept between VS Code sessions in the extension's global storage, so
 * that a session's first lesson reaches the screen without running marked. marked's first render
 * in a fresh extension host builds and compiles its grammar's regular expressions and lexes with
 * cold code: 32–40 ms of the extension host's time in the extension benchmark, spent while VS Code
 * creates the lesson's webview on the same cores (an extension host kept busy for 90 ms in that
 * window delayed an empty webview by ~80 ms, measured in the floor benchmark). From the cache the
 * same HTML costs a hash and a lookup.
 *
 * Entries belong to the build that rendered them (a hash of the bundle: a rebuilt or updated
 * MediGen Lab renders afresh) and are named by the Markdown itself; image URLs (which depend on
 * where the lesson is installed and on the webview) are filled in on each use, through the same
 * resolver `renderLesson` would call. The file is read once, when the extension starts,
 * and written a few seconds after a render that missed, off the paint's path. A missing,
 * unreadable or damaged file means rendering from scratch, never an error. Without a file or a
 * build, the cache lives in memory only.
 * Plain Node (no `vscode` import), so it is unit-tested directly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { escapeHtml, renderLesson, type RenderedLesson, type RenderOptions } from './markdown';

/** The cache's file name in the extension's global storage. */
export const RENDER_CACHE_FILE = 'lesson-render-cache.json';
/** How many rendered pieces are kept (a course has a few dozen lessons and hints); the least recently used go first. */
export const RENDER_CACHE_ENTRIES = 300;
/** ms after a render that missed before the file is written. */
const WRITE_AFTER_MS = 3000;
const FORMAT = 2;

/**
 * A render as kept: the HTML with a placeholder (`<marker><n>.`) where each image's URL goes, since
 * URLs depend on where the lesson is installed and on the webview; they are filled in on each use.
 */
interface Entry extends RenderedLesson {
  marker: string;
  /** The module-relative sources of the placeholders, in order. */
  images: string[];
  /** Sources the resolver refused at the time (shown as "image not shown"). */
  refused: string[];
}

interface CacheFile {
  format: number;
  build: string;
  entries: [string, Entry][];
}

export interface LessonRenderCacheOptions {
  /** Where the cache is kept between sessions. Defaults to none: memory only. */
  file?: string;
  /** What rendered the entries (a hash of the bundle); a file from another build is ignored. Defaults to none: memory only. */
  build?: string;
  /** Defaults to RENDER_CACHE_ENTRIES. */
  maxEntries?: number;
  /** Defaults to 3000 ms. */
  writeAfterMs?: number;
  /** Told when the file could not be written (the cache then just renders again next session). */
  log?: (line: string) => void;
}

/** The renderer the lesson page and cards use: `renderLesson`, or a cache of it. */
export type RenderMarkdown = (markdown: string, opts?: RenderOptions) => Promise<RenderedLesson>;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function isEntry(v: unknown): v is Entry {
  const r = v as Entry | undefined;
  return typeof r?.html === 'string' && typeof r.marker === 'string' && /^medigen-image-[0-9a-f]{16}-$/.test(r.marker) && isStrings(r.exerciseLinks) && Array.isArray(r.commandLinks) && isStrings(r.images) && isStrings(r.refused);
}

/** A kept entry as the caller gets it: its placeholders replaced by `urls` (escaped as the renderer escapes them), its lists copied. */
const withImages = (e: Entry, urls: string[]): RenderedLesson => ({
  html: e.html.replace(new RegExp(`${e.marker}(\\d+)\\.`, 'g'), (_, k: string) => escapeHtml(urls[Number(k)]!)),
  exerciseLinks: [...e.exerciseLinks],
  commandLinks: e.commandLinks.map((c) => ({ ...c, args: [...c.args] })),
});

export class LessonRenderCache {
  private readonly entries = new Map<string, Entry>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  /** Renders served from the cache, and renders marked did, since this cache was made. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly o: LessonRenderCacheOptions = {}) {}

  private get persistent(): boolean {
    return !!this.o.file && !!this.o.build;
  }

  /** The file the cache is kept in between sessions; undefined when it lives in memory only. */
  get file(): string | undefined {
    return this.persistent ? this.o.file : undefined;
  }

  /** Reads the file, once (call it early: the first render waits for it). Never rejects. */
  load(): Promise<void> {
    return (this.loading ??= this.read());
  }

  private async read(): Promise<void> {
    if (!this.persistent) return;
    let parsed: Partial<CacheFile>;
    try {
      parsed = JSON.parse(await readFile(this.o.file!, 'utf8')) as Partial<CacheFile>;
    } catch {
      return; // none yet, or damaged: rendered afresh and written again
    }
    if (parsed?.format !== FORMAT || parsed.build !== this.o.build || !Array.isArray(parsed.entries)) return;
    for (const e of parsed.entries) {
      if (Array.isArray(e) && typeof e[0] === 'string' && isEntry(e[1])) this.entries.set(e[0], e[1]);
    }
  }

  /** `markdown` rendered exactly as `renderLesson(markdown, opts)` renders it. */
  readonly render: RenderMarkdown = async (markdown, opts = {}) => {
    await this.load();
    const resolve = opts.resolveImage;
    const key = createHash('sha256').update(`${resolve ? 'images' : 'no images'}\n${markdown}`).digest('base64url');
    const hit = this.entries.get(key);
    if (hit) {
      const urls = hit.images.map((src) => resolve?.(src));
      // The resolver answers as it did then (it refuses and allows the same files): the page is the same.
      if (urls.every((u) => u !== undefined) && hit.refused.every((src) => resolve?.(src) === undefined)) {
        this.stats.hits++;
        // Most recently used last: the first entries are the ones dropped.
        this.entries.delete(key);
        this.entries.set(key, hit);
        return withImages(hit, urls as string[]);
      }
    }
    this.stats.misses++;
    const marker = `medigen-image-${randomBytes(8).toString('hex')}-`;
    const images: string[] = [];
    const refused: string[] = [];
    const urls: string[] = [];
    const withMarkers = await renderLesson(markdown, {
      resolveImage: (src) => {
        const url = resolve?.(src);
        if (url === undefined) {
          refused.push(src);
          return undefined;
        }
        urls.push(url);
        return `${marker}${images.push(src) - 1}.`;
      },
    });
    // Only the cache holds these lists: callers get copies (withImages).
    const entry: Entry = { ...withMarkers, marker, images, refused };
    this.entries.set(key, entry);
    const max = this.o.maxEntries ?? RENDER_CACHE_ENTRIES;
    for (const k of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(k);
    }
    this.scheduleWrite();
    return withImages(entry, urls);
  };

  private scheduleWrite(): void {
    if (!this.persistent) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.o.writeAfterMs ?? WRITE_AFTER_MS);
    this.timer.unref?.();
  }

  /**
   * Writes the file now if something was rendered since the last write (a temporary file, then a
   * rename: a reader never sees half a file). False when it could not be written.
   */
  async flush(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.persistent || !this.dirty) return true;
    this.dirty = false;
    const file = this.o.file!;
    const tmp = `${file}.${process.pid}.tmp`;
    const content: CacheFile = { format: FORMAT, build: this.o.build!, entries: [...this.entries] };
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, JSON.stringify(content));
      await rename(tmp, file);
      return true;
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      this.o.log?.(`Lesson render cache: could not write ${file} (${(err as Error).message}). Nothing is lost: lessons are rendered again next time; check that the folder is writable.`);
      return false;
    }
  }

  /** Stops a pending write (call flush() first to keep it). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
