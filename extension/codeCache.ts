/**
 * Runs the extension's bundle with V8's code cache. Compiling the ~530 KB bundle took ~22 ms of
 * every activation, before VS Code could start on the lesson's webview, and each function the
 * first lesson runs was compiled again on its first call. With the cache (the bytecode V8 made the
 * last time, written once after the first minutes of use) compiling takes ~5 ms and those
 * functions start compiled. Node 22's `module.enableCompileCache` does the same, but VS Code's
 * extension host runs Node 20; `v8-compile-cache` hooks every module of the process, and the
 * extension host is shared with other extensions. So: node:vm's `cachedData`, for our bundle only.
 *
 * The cache lives beside the bundle (dist/): whoever can write there can change the bundle itself,
 * so it trusts no one new. Its name carries a hash of the bundle's text, because V8 checks only the
 * length of the source it was made for. V8 refuses a cache from another V8 version or with other
 * flags, and the bundle is then compiled as usual. A folder that cannot be written (a read-only
 * install) means no cache, nothing else.
 *
 * Code compiled by node:vm cannot `import()` without `importModuleDynamically`, and on Node 20 a
 * script taken from the cache loses even that (measured: "A dynamic import callback was not
 * specified"). The bundle's only `import()`s are of the packages it leaves out, and they go through
 * `importPackage` (core/packages.ts), which uses the import() the entry hands it
 * (`__medigenImportPackage`); esbuild.mjs fails the build if the bundle has any other.
 *
 * Plain Node (no `vscode`), unit-tested in test/unit/extension/codeCache.test.ts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What became of the cache when the bundle ran. */
export type CodeCacheUse = 'used' | 'none' | 'rejected';

export interface CachedBundle {
  /** Whether V8 took the cache ('none': there was none for this bundle's text). */
  readonly cache: CodeCacheUse;
  /** The cache file for this bundle's text. */
  readonly cacheFile: string;
  /** A hash of the bundle's text (names this build, e.g. for the lesson render cache). */
  readonly hash: string;
  /**
   * Writes the cache (what V8 has compiled of the bundle by now) when it was missing or refused,
   * and removes caches of older bundles. True when written; false when not needed or not possible.
   */
  save(): boolean;
}

const CACHE_SUFFIX = '.v8cache';

/**
 * Runs `bundleFile` as the CommonJS module `mod` (its exports become `mod.exports`), with `req` as
 * its `require`: `req` must be the entry file's own, in the same folder, so that VS Code resolves
 * `require('vscode')` for this extension.
 */
export function runCachedBundle(bundleFile: string, mod: { exports: unknown }, req: NodeRequire): CachedBundle {
  const source = readFileSync(bundleFile, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cacheFile = join(dirname(bundleFile), `${basename(bundleFile)}.${hash}${CACHE_SUFFIX}`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: bundleFile, ...(cachedData ? { cachedData } : {}) });
  const cache: CodeCacheUse = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, req, mod, bundleFile, dirname(bundleFile));
  let saved = false;
  return {
    cache,
    cacheFile,
    hash,
    save() {
      if (cache === 'used' || saved) return false;
      saved = true;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true });
        return false;
      }
      try {
        const own = `${basename(bundleFile)}.`;
        for (const f of readdirSync(dirname(bundleFile))) {
          if (f.startsWith(own) && f.endsWith(CACHE_SUFFIX) && join(dirname(bundleFile), f) !== cacheFile) rmSync(join(dirname(bundleFile), f), { force: true });
        }
      } catch {
        // An older cache left behind costs disk space only: it is never read for this bundle.
      }
      return true;
    },
  };
}
