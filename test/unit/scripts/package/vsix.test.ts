/**
 * The .vsix packager (scripts/package): the ZIP writer read back by a real unzip tool, the file
 * list of this checkout (what ships and what stays out), platform filtering for each of the five
 * targets (a fixture project, and this checkout's package-lock.json), the manifest, the checker
 * of a written .vsix. (A real .vsix for another platform is built and checked in `npm run test:vsix`.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { RUNTIME_PACKAGES, TARGETS, TARGET_NAMES, contentTypes, dependencyClosure, fetchPackage, fitsTarget, isExcludedPackage, labSourceFiles, lookupLocations, packageFiles, packageNameOf, partOf, platformCacheDir, targetOf, vsixManifest, writeZip, type Target } from '../../../../scripts/package/index';
import { platformOfPackage, vsixProblems } from '../../../../scripts/package/verify';

const linux = TARGETS['linux-x64'];

const root = projectRoot();

describe('vsix packaging', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'medigen-vsix-unit-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('writeZip', () => {
    it('writes an archive that unzip reads back byte for byte, with permissions and UTF-8 names', () => {
      const exe = join(tmp, 'tool');
      writeFileSync(exe, '#!/bin/sh\necho hi\n', { mode: 0o755 });
      const big = Buffer.from('dialogue '.repeat(5000));
      const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
      const zip = join(tmp, 'a.zip');
      const s = writeZip(zip, [
        { name: 'extension/readme.txt', data: Buffer.from('hello') },
        { name: 'extension/big.txt', data: big },
        { name: 'extension/random.bin', data: random },
        { name: 'extension/bin/tool', source: exe, mode: 0o755 },
        { name: 'extension/ünïcode é.md', data: Buffer.from('ok') },
      ]);
      assert.equal(s.entries, 5);
      assert.equal(s.bytes, statSync(zip).size);
      assert.ok(s.bytes < big.length, 'repetitive text is deflated');
      execFileSync('unzip', ['-tq', zip]); // CRCs and structure; throws on a bad archive
      const out = join(tmp, 'x');
      execFileSync('unzip', ['-q', zip, '-d', out]);
      assert.equal(readFileSync(join(out, 'extension', 'readme.txt'), 'utf8'), 'hello');
      assert.deepEqual(readFileSync(join(out, 'extension', 'big.txt')), big);
      assert.deepEqual(readFileSync(join(out, 'extension', 'random.bin')), random);
      assert.equal(readFileSync(join(out, 'extension', 'ünïcode é.md'), 'utf8'), 'ok');
      assert.equal(statSync(join(out, 'extension', 'bin', 'tool')).mode & 0o777, 0o755);
      assert.equal(execFileSync(join(out, 'extension', 'bin', 'tool'), { encoding: 'utf8' }), 'hi\n');
    });

    it('gives the same bytes for the same files (fixed timestamps)', () => {
      const entries = [{ name: 'a.txt', data: Buffer.from('same') }];
      writeZip(join(tmp, '1.zip'), entries);
      writeZip(join(tmp, '2.zip'), entries);
      assert.deepEqual(readFileSync(join(tmp, '1.zip')), readFileSync(join(tmp, '2.zip')));
    });
  });

  describe('platform and package rules', () => {
    it('fitsTarget reads os/cpu/libc like npm (lists, negations, none)', () => {
      assert.equal(fitsTarget({}, linux), true);
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['x64'] }, linux), true);
      assert.equal(fitsTarget({ os: ['darwin'], cpu: ['x64'] }, linux), false);
      assert.equal(fitsTarget({ os: ['darwin'], cpu: ['x64'] }, TARGETS['darwin-x64']), true);
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['arm64'] }, linux), false);
      assert.equal(fitsTarget({ os: ['!win32'] }, linux), true);
      assert.equal(fitsTarget({ os: ['!win32'] }, TARGETS['win32-x64']), false);
      assert.equal(fitsTarget({ os: ['!linux'] }, linux), false);
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['arm64'], libc: ['musl'] }, TARGETS['linux-arm64']), false, 'VS Code linux-* targets are glibc');
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['arm64'], libc: ['glibc'] }, TARGETS['linux-arm64']), true);
      assert.equal(fitsTarget({ os: ['darwin'], cpu: ['arm64'], libc: ['glibc'] }, TARGETS['darwin-arm64']), true, 'libc only matters on Linux');
    });

    it('keeps only the target\'s CPU build of node-llama-cpp (Metal on Apple silicon) and leaves onnxruntime-web out', () => {
      assert.equal(isExcludedPackage('@node-llama-cpp/linux-x64', linux), false);
      for (const p of ['@node-llama-cpp/linux-x64-cuda', '@node-llama-cpp/linux-x64-vulkan', '@node-llama-cpp/linux-arm64', '@node-llama-cpp/mac-arm64-metal', 'onnxruntime-web']) assert.equal(isExcludedPackage(p, linux), true, p);
      assert.equal(isExcludedPackage('@node-llama-cpp/mac-arm64-metal', TARGETS['darwin-arm64']), false);
      assert.equal(isExcludedPackage('@node-llama-cpp/win-x64', TARGETS['win32-x64']), false);
      for (const p of ['@node-llama-cpp/win-x64-cuda', '@node-llama-cpp/win-x64-vulkan', '@node-llama-cpp/win-arm64']) assert.equal(isExcludedPackage(p, TARGETS['win32-x64']), true, p);
      assert.equal(packageNameOf('@huggingface/transformers/dist/x.js'), '@huggingface/transformers');
      assert.equal(packageNameOf('tsx/esm'), 'tsx');
      assert.equal(partOf('node_modules/@types/node/fs.d.ts'), 'node_modules/@types/node');
      assert.equal(partOf('dist/extension.cjs'), 'dist');
      assert.deepEqual(TARGET_NAMES, ['darwin-arm64', 'darwin-x64', 'win32-x64', 'linux-x64', 'linux-arm64']);
      assert.throws(() => targetOf('win32-ia32'), (e: Error & { hint?: string }) => /not a platform MediGen Lab is packaged for/.test(e.message) && /darwin-arm64/.test(e.hint ?? ''));
    });

    it('looks a package up where Node does: nested node_modules first, then each folder above', () => {
      assert.deepEqual(lookupLocations('', 'a'), ['node_modules/a']);
      assert.deepEqual(lookupLocations('node_modules/@s/b/node_modules/c', '@e/d'), ['node_modules/@s/b/node_modules/c/node_modules/@e/d', 'node_modules/@s/b/node_modules/@e/d', 'node_modules/@e/d']);
    });

    it('picks, for each of the five targets, that platform\'s native packages and no other (a fixture project: one installed, the rest from the cache)', () => {
      // A fixture project as npm leaves it on linux-x64: the addon and its linux-x64 binary installed,
      // every platform listed in package-lock.json, the other platforms' binaries in the platform cache.
      const proj = join(tmp, 'proj');
      const natives: Record<string, { os: string[]; cpu: string[]; libc?: string[] }> = {
        '@x/bin-linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
        '@x/bin-linuxmusl-x64': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
        '@x/bin-linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
        '@x/bin-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
        '@x/bin-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
        '@x/bin-win32-x64': { os: ['win32'], cpu: ['x64'] },
        '@x/bin-win32-arm64': { os: ['win32'], cpu: ['arm64'] },
      };
      const writePkg = (dir: string, json: object) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
      };
      const addon = { name: 'addon', version: '1.0.0', dependencies: { helper: '^2.0.0' }, optionalDependencies: Object.fromEntries(Object.keys(natives).map((n) => [n, '1.0.0'])) };
      writePkg(join(proj, 'node_modules', 'addon'), addon);
      writePkg(join(proj, 'node_modules', 'helper'), { name: 'helper', version: '2.0.0' });
      writePkg(join(proj, 'node_modules', '@x', 'bin-linux-x64'), { name: '@x/bin-linux-x64', version: '1.0.0', ...natives['@x/bin-linux-x64'] });
      const lock: Record<string, object> = { '': { name: 'proj' }, 'node_modules/addon': { version: '1.0.0' }, 'node_modules/helper': { version: '2.0.0' } };
      for (const [n, p] of Object.entries(natives)) {
        lock[`node_modules/${n}`] = { version: '1.0.0', optional: true, ...p };
        if (n !== '@x/bin-linux-x64') writePkg(join(platformCacheDir(proj), `${n.replace('/', '+')}@1.0.0`), { name: n, version: '1.0.0', ...p });
      }
      writeFileSync(join(proj, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: lock }));
      const want: Record<string, string> = { 'linux-x64': '@x/bin-linux-x64', 'linux-arm64': '@x/bin-linux-arm64', 'darwin-arm64': '@x/bin-darwin-arm64', 'darwin-x64': '@x/bin-darwin-x64', 'win32-x64': '@x/bin-win32-x64' };
      for (const name of TARGET_NAMES) {
        const mods = dependencyClosure(proj, ['addon'], { target: TARGETS[name] });
        assert.deepEqual(mods.map((m) => m.path), ['node_modules/addon', `node_modules/${want[name]}`, 'node_modules/helper'].sort(), name);
        const bin = mods.find((m) => m.name === want[name])!;
        assert.equal(bin.dir, name === 'linux-x64' ? join(proj, 'node_modules', '@x', 'bin-linux-x64') : join(platformCacheDir(proj), `${want[name]!.replace('/', '+')}@1.0.0`), name);
      }
    });

    it('asks for exactly the target\'s esbuild and sharp binaries of this checkout\'s package-lock.json, at the locked version', () => {
      const pkgLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
      for (const name of TARGET_NAMES) {
        const target = TARGETS[name];
        const asked: string[] = [];
        // Instead of the registry: a package folder with the locked fields, so the closure goes on through it.
        const fetch = (n: string, version: string, integrity?: string) => {
          asked.push(`${n}@${version}`);
          const entry = pkgLock[`node_modules/${n}`];
          assert.equal(integrity, entry.integrity, `${n}: the locked integrity is checked`);
          const dir = join(tmp, 'fetched', name, n);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: n, version, os: entry.os, cpu: entry.cpu, optionalDependencies: entry.optionalDependencies }));
          return dir;
        };
        const llamaDir = join(tmp, 'fetched', name, target.llamaBinary);
        mkdirSync(llamaDir, { recursive: true });
        writeFileSync(join(llamaDir, 'package.json'), JSON.stringify({ name: target.llamaBinary, version: '0.0.0' }));
        const mods = dependencyClosure(root, RUNTIME_PACKAGES, { target, fetch, substitutes: new Map([[target.llamaBinary, llamaDir]]) });
        const paths = mods.map((m) => m.path);
        const esbuild = pkgLock['node_modules/esbuild'].version;
        const expected = [`node_modules/${target.llamaBinary}`, `node_modules/@esbuild/${name}`, `node_modules/@img/sharp-${name}`, ...(target.os === 'win32' ? [] : [`node_modules/@img/sharp-libvips-${name}`])];
        for (const p of expected) assert.ok(paths.includes(p), `${name}: ${p} is missing`);
        // Every platform package in the closure is for the target (@reflink's and fsevents too, which npm installs there).
        for (const p of paths) {
          const entry = pkgLock[p];
          if (p !== `node_modules/${target.llamaBinary}` && (entry?.os || entry?.cpu)) assert.ok(fitsTarget(entry, target), `${name}: ${p} (${entry.os}/${entry.cpu}/${entry.libc}) is for another platform`);
        }
        assert.equal(paths.filter((p) => p.startsWith('node_modules/@node-llama-cpp/')).length, 1, `${name}: one node-llama-cpp binary`);
        if (name === 'linux-x64') assert.deepEqual(asked, [], 'this computer\'s platform needs nothing downloaded');
        else assert.ok(asked.includes(`@esbuild/${name}@${esbuild}`), `${name}: ${asked.join(', ')}`);
        assert.ok(asked.every((a) => pkgLock[`node_modules/${a.replace(/@[^@]+$/, '')}`]?.os), `${name} fetched only platform packages: ${asked.join(', ')}`);
      }
    });

    it('follows the dependencies of this checkout\'s runtime packages, nested ones included', () => {
      const mods = dependencyClosure(root, RUNTIME_PACKAGES, { target: linux });
      const names = new Set(mods.map((m) => m.name));
      for (const n of ['node-llama-cpp', '@node-llama-cpp/linux-x64', 'tsx', 'esbuild', '@esbuild/linux-x64', 'onnxruntime-node', 'sharp', '@types/node']) assert.ok(names.has(n), `${n} is not in the closure`);
      for (const n of ['mocha', 'typescript', 'marked', 'playwright-core', 'onnxruntime-web', '@node-llama-cpp/linux-x64-cuda']) assert.ok(!names.has(n), `${n} should stay out`);
      assert.ok(mods.some((m) => m.path === 'node_modules/node-llama-cpp/node_modules/simple-git'), 'the nested simple-git of node-llama-cpp');
    });

    it('offline, a package not yet in the cache is refused with what to do (a real npm with no registry to reach)', function () {
      this.timeout(120_000);
      const saved = { ...process.env };
      Object.assign(process.env, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(tmp, 'npm-cache'), npm_config_fetch_retries: '0' });
      try {
        assert.throws(
          () => fetchPackage(join(tmp, 'offline'), '@esbuild/aix-ppc64', '0.28.2'),
          (e: Error & { hint?: string }) => /Could not download @esbuild\/aix-ppc64@0\.28\.2 from the npm registry: .*ECONNREFUSED/.test(e.message) && /package for this computer only \(--target /.test(e.hint ?? ''),
        );
      } finally {
        for (const k of ['npm_config_registry', 'npm_config_cache', 'npm_config_fetch_retries']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
      }
    });

    it('tells a .vsix\'s file list right or wrong for its target', () => {
      assert.deepEqual(platformOfPackage('node_modules/@reflink/reflink-linux-x64-gnu/index.node'), { os: 'linux', cpu: 'x64', variant: '-gnu' });
      assert.deepEqual(platformOfPackage('node_modules/@node-llama-cpp/mac-arm64-metal/bins/x'), { os: 'mac', cpu: 'arm64', variant: '-metal' });
      assert.equal(platformOfPackage('node_modules/@img/colour/index.js'), undefined);
      const t = TARGETS['win32-x64'];
      const good = ['extension/package.json', 'extension/node_modules/@node-llama-cpp/win-x64/bins/win-x64/llama-addon.node', 'extension/node_modules/@esbuild/win32-x64/esbuild.exe', 'extension/node_modules/@img/sharp-win32-x64/lib/sharp.node', 'extension/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll'];
      const manifest = vsixManifest(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')), t);
      assert.deepEqual(vsixProblems(good, manifest, t), []);
      const bad = [...good, 'extension/node_modules/@node-llama-cpp/win-x64-cuda/bins/x.node', 'extension/node_modules/@esbuild/linux-x64/bin/esbuild', 'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so'];
      assert.deepEqual(vsixProblems(bad, manifest, t), [
        "another platform's (or a GPU) binary is in it: node_modules/@esbuild/linux-x64",
        "another platform's (or a GPU) binary is in it: node_modules/@node-llama-cpp/win-x64-cuda",
        "another platform's (or a GPU) binary is in it: onnxruntime-node linux/x64",
      ]);
      assert.deepEqual(vsixProblems(good.slice(0, 1), manifest.replace('win32-x64', 'linux-x64'), t), ['the manifest does not say TargetPlatform="win32-x64"', "node-llama-cpp's binary @node-llama-cpp/win-x64 is missing", "esbuild's binary node_modules/@esbuild/win32-x64/esbuild.exe is missing (tsx needs it to run checks)"]);
    });
  });

  describe('the files of this checkout', () => {
    it('student code\'s `medigen-lab` ships as its TypeScript sources and needs only the packages the .vsix ships anyway', async () => {
      const lab = await labSourceFiles(root);
      assert.ok(lab.files.includes('curriculum/runtime/lab.ts'));
      assert.ok(lab.files.includes('datasets/corpus.ts'));
      assert.ok(lab.files.includes('core/paths.ts'));
      // Every stage a lesson teaches (generation with node-llama-cpp, BERTScore and token counts with transformers.js) is in it.
      for (const f of ['models/generation/batch.ts', 'models/eval/rouge.ts', 'models/train/memory.ts']) assert.ok(lab.files.includes(f), f);
      assert.deepEqual(lab.packages.filter((p) => !RUNTIME_PACKAGES.includes(p)), []);
    });

    // Needs the build (dist/): npm test builds before the unit tests, as for runBuiltCli.
    it('lists what the extension needs at run time and nothing of the development tree', async function () {
      this.timeout(120_000);
      const files = await packageFiles(root, { target: linux });
      const paths = new Set(files.map((f) => f.path));
      for (const p of ['package.json', 'README.md', 'LICENSE.txt', 'dist/extension.cjs', 'dist/extensionMain.cjs', 'dist/checkChild.cjs', 'dist/webviews/lesson.js', 'extension/media/medigen.svg', 'curriculum/schema/module.schema.json', 'curriculum/modules/meet-the-data/exercises/count-turns/checks/turns.test.ts', 'datasets/sample/train.csv', 'models/train/trainer.py', 'models/train/requirements.txt', 'node_modules/tsx/dist/loader.mjs', 'node_modules/@node-llama-cpp/linux-x64/package.json', 'node_modules/@huggingface/transformers/dist/transformers.node.mjs']) {
        assert.ok(paths.has(p), `${p} is not packaged`);
      }
      assert.ok(existsSync(join(root, 'curriculum', 'modules', 'meet-the-data', 'exercises', 'count-turns', 'grading')), 'a shipped module has grading checks');
      assert.deepEqual([...paths].filter((p) => /^curriculum\/modules\/.*\/grading\//.test(p)), [], 'grading checks never go into the .vsix');
      const wrong = [...paths].filter((p) => /^(test|scripts|cli|out|sandbox|test-output|\.vscode-test|\.cache|\.git)\//.test(p) || p.endsWith('.map') || /^node_modules\/(mocha|typescript|esbuild\/bin|@node-llama-cpp\/linux-x64-)/.test(p) || p === 'node_modules/node-llama-cpp/llama/gitRelease.bundle' || /onnxruntime-node\/bin\/napi-v\d+\/(darwin|win32|linux\/arm64)\//.test(p));
      assert.deepEqual(wrong, []);
      assert.equal(files.find((f) => f.path === 'node_modules/@esbuild/linux-x64/bin/esbuild')!.mode & 0o111, 0o111, 'esbuild stays executable');
      const mb = files.reduce((n, f) => n + f.size, 0) / 1024 / 1024;
      assert.ok(mb < 200, `${mb.toFixed(0)} MB installed: something large crept in`);
    });
  });

  describe('manifest', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

    it('names the extension, engine, platform and assets; escapes XML', () => {
      for (const name of TARGET_NAMES) assert.ok(vsixManifest(pkg, TARGETS[name] as Target).includes(`TargetPlatform="${name}"`), name);
      const m = vsixManifest({ ...pkg, description: 'Notes <fast> & "local"' }, linux);
      assert.match(m, new RegExp(`<Identity Language="en-US" Id="${pkg.name}" Version="${pkg.version.replace(/\./g, '\\.')}" Publisher="${pkg.publisher}" TargetPlatform="linux-x64"/>`));
      assert.ok(m.includes(`<Property Id="Microsoft.VisualStudio.Code.Engine" Value="${pkg.engines.vscode}"/>`));
      assert.ok(m.includes('Notes &lt;fast&gt; &amp; &quot;local&quot;'));
      assert.ok(m.includes('Path="extension/package.json"'));
    });

    it('gives each file extension one content type and overrides files without one', () => {
      const t = contentTypes(['extension.vsixmanifest', 'extension/a.js', 'extension/b.js', 'extension/LICENSE', 'extension/x.node']);
      assert.equal(t.match(/Extension="\.js"/g)?.length, 1);
      assert.ok(t.includes('<Default Extension=".vsixmanifest" ContentType="text/xml"/>'));
      assert.ok(t.includes('<Override PartName="/extension/LICENSE" ContentType="application/octet-stream"/>'));
      assert.ok(t.includes('<Default Extension=".node" ContentType="application/octet-stream"/>'));
    });
  });
});
