/**
 * The .vsix packager (scripts/package): the ZIP writer read back by a real unzip tool, the file
 * list of this checkout (what ships and what stays out), platform filtering, the manifest.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { RUNTIME_PACKAGES, contentTypes, dependencyClosure, fitsTarget, isExcludedPackage, labSourceFiles, packageFiles, packageNameOf, partOf, vsixManifest, writeZip } from '../../../../scripts/package/index';

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
    it('fitsTarget reads os/cpu like npm (lists, negations, none)', () => {
      assert.equal(fitsTarget({}), true);
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['x64'] }), true);
      assert.equal(fitsTarget({ os: ['darwin'], cpu: ['x64'] }), false);
      assert.equal(fitsTarget({ os: ['linux'], cpu: ['arm64'] }), false);
      assert.equal(fitsTarget({ os: ['!win32'] }), true);
      assert.equal(fitsTarget({ os: ['!linux'] }), false);
    });

    it('keeps only the linux-x64 CPU build of node-llama-cpp and leaves onnxruntime-web out', () => {
      assert.equal(isExcludedPackage('@node-llama-cpp/linux-x64'), false);
      for (const p of ['@node-llama-cpp/linux-x64-cuda', '@node-llama-cpp/linux-x64-vulkan', '@node-llama-cpp/linux-arm64', 'onnxruntime-web']) assert.equal(isExcludedPackage(p), true, p);
      assert.equal(packageNameOf('@huggingface/transformers/dist/x.js'), '@huggingface/transformers');
      assert.equal(packageNameOf('tsx/esm'), 'tsx');
      assert.equal(partOf('node_modules/@types/node/fs.d.ts'), 'node_modules/@types/node');
      assert.equal(partOf('dist/extension.cjs'), 'dist');
    });

    it('follows the dependencies of this checkout\'s runtime packages, nested ones included', () => {
      const mods = dependencyClosure(root);
      const names = new Set(mods.map((m) => m.name));
      for (const n of ['node-llama-cpp', '@node-llama-cpp/linux-x64', 'tsx', 'esbuild', '@esbuild/linux-x64', 'onnxruntime-node', 'sharp', '@types/node']) assert.ok(names.has(n), `${n} is not in the closure`);
      for (const n of ['mocha', 'typescript', 'marked', 'playwright-core', 'onnxruntime-web', '@node-llama-cpp/linux-x64-cuda']) assert.ok(!names.has(n), `${n} should stay out`);
      assert.ok(mods.some((m) => m.path === 'node_modules/node-llama-cpp/node_modules/simple-git'), 'the nested simple-git of node-llama-cpp');
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
      const files = await packageFiles(root);
      const paths = new Set(files.map((f) => f.path));
      for (const p of ['package.json', 'README.md', 'LICENSE.txt', 'dist/extension.cjs', 'dist/checkChild.cjs', 'dist/webviews/lesson.js', 'extension/media/medigen.svg', 'curriculum/schema/module.schema.json', 'curriculum/modules/meet-the-data/exercises/count-turns/checks/turns.test.ts', 'datasets/sample/train.csv', 'models/train/trainer.py', 'models/train/requirements.txt', 'node_modules/tsx/dist/loader.mjs', 'node_modules/@node-llama-cpp/linux-x64/package.json', 'node_modules/@huggingface/transformers/dist/transformers.node.mjs']) {
        assert.ok(paths.has(p), `${p} is not packaged`);
      }
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
      const m = vsixManifest({ ...pkg, description: 'Notes <fast> & "local"' });
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
