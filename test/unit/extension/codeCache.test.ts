import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';

/**
 * Each load runs in its own Node process, as each VS Code start does (within one process V8 would
 * reuse what it compiled the first time). The child prints what `runCachedBundle` said and what
 * the bundle exported.
 */
function load(bundle: string, save: boolean): { cache: string; saved: boolean; exports: { sum: number; file: string; sep: string; imported?: string } } {
  const code = `
    import { createRequire } from 'node:module';
    import { runCachedBundle } from ${JSON.stringify(join(projectRoot(), 'extension', 'codeCache.ts'))};
    globalThis.__medigenImportPackage = (name) => import(name); // as extension/entry.ts does
    const mod = { exports: {} };
    const b = runCachedBundle(${JSON.stringify(bundle)}, mod, createRequire(${JSON.stringify(bundle)}));
    if (mod.exports.load) mod.exports.imported = await mod.exports.load();
    console.log(JSON.stringify({ cache: b.cache, saved: ${save} ? b.save() : false, exports: mod.exports }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: projectRoot() });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('extension code cache (the entry runs the bundle with V8 code cache)', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-codecache-'));
    bundle = join(dir, 'extensionMain.cjs');
    // A CommonJS bundle like esbuild's: its exports, require, __filename.
    writeFileSync(bundle, `const path = require('node:path'); function add(a, b) { return a + b; } module.exports = { sum: add(2, 3), file: __filename, sep: path.sep };`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle as a module, writes the cache once, and the next start uses it', () => {
    const first = load(bundle, true);
    assert.deepEqual(first.exports, { sum: 5, file: bundle, sep: '/' });
    assert.equal(first.cache, 'none');
    assert.equal(first.saved, true);
    assert.equal(caches(dir).length, 1);
    const second = load(bundle, true);
    assert.equal(second.cache, 'used');
    assert.equal(second.saved, false, 'a cache that was used is not written again');
    assert.deepEqual(second.exports, first.exports);
  });

  it('lets the bundle load an ES module package through the entry, as it loads node-llama-cpp, also from the cache', () => {
    // From the project's node_modules, as the extension's bundle in dist/ finds its packages.
    const inProject = mkdtempSync(join(projectRoot(), 'dist', 'codecache-test-'));
    try {
      const b = join(inProject, 'extensionMain.cjs');
      writeFileSync(b, `module.exports = { sum: 5, load: () => globalThis.__medigenImportPackage('fflate').then((m) => typeof m.zipSync) };`);
      for (const k of [1, 2]) {
        const r = load(b, true);
        assert.equal(r.exports.imported, 'function', `start ${k}: ${r.cache}`);
      }
      assert.equal(load(b, false).cache, 'used');
    } finally {
      rmSync(inProject, { recursive: true, force: true });
    }
  });

  it('a damaged cache is refused by V8 and the bundle still runs; the cache is then written anew', () => {
    load(bundle, true);
    const [file] = caches(dir);
    writeFileSync(join(dir, file!), Buffer.alloc(4096, 7));
    const r = load(bundle, true);
    assert.equal(r.cache, 'rejected');
    assert.equal(r.exports.sum, 5);
    assert.equal(r.saved, true);
    assert.equal(load(bundle, false).cache, 'used');
  });

  it('a changed bundle of the same length gets its own cache (V8 checks only the length), and the old cache is removed', () => {
    load(bundle, true);
    const [old] = caches(dir);
    writeFileSync(bundle, `const path = require('node:path'); function add(a, b) { return a * b; } module.exports = { sum: add(2, 3), file: __filename, sep: path.sep };`);
    const r = load(bundle, true);
    assert.equal(r.cache, 'none');
    assert.equal(r.exports.sum, 6, 'the new code ran, not the old bytecode');
    assert.equal(caches(dir).length, 1);
    assert.notEqual(caches(dir)[0], old);
  });

  it('a cache that cannot be written leaves no temporary file, and the bundle works without it', () => {
    // The cache's name is taken by a folder with a file in it: the rename fails.
    const name = load(bundle, false);
    assert.equal(name.cache, 'none');
    const probe = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { runCachedBundle } from ${JSON.stringify(join(projectRoot(), 'extension', 'codeCache.ts'))};
      import { createRequire } from 'node:module';
      console.log(runCachedBundle(${JSON.stringify(bundle)}, { exports: {} }, createRequire(${JSON.stringify(bundle)})).cacheFile);`], { encoding: 'utf8', cwd: projectRoot() });
    const cacheFile = probe.stdout.trim().split('\n').at(-1)!;
    mkdirSync(cacheFile);
    writeFileSync(join(cacheFile, 'x'), 'x');
    const r = load(bundle, true);
    assert.equal(r.saved, false);
    assert.equal(r.exports.sum, 5);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    assert.ok(existsSync(join(cacheFile, 'x')));
  });
});
