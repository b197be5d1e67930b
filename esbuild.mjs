// Bundles MediGen Lab: the `medigen` CLI (ESM, Node), the VS Code extension (CommonJS, as VS
// Code loads it) and the webview scripts (browser). `node esbuild.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Native or very large packages stay in node_modules and are loaded at run time.
const runtimeExternals = ['vscode', 'node-llama-cpp', '@huggingface/transformers', 'onnxruntime-node', 'sharp'];

rmSync('dist/cli-chunks', { recursive: true, force: true }); // no stale chunks from earlier builds

/**
 * One namespace object for `vscode` in a bundle. For every file that does `import * as vscode`,
 * esbuild otherwise copies the whole API (~400 getters) into a new object at load time: 26 copies,
 * ~12 ms of the extension's activation. This plugin routes those imports through one ES module that
 * re-exports `vscode` once.
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', target: 'node20' };

/** A CommonJS bundle for Node in dist/ (.cjs): the extension's entry and bundle, the check process. */
const distCjs = { ...common, outdir: 'dist', outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs' };

const builds = [
  {
    ...common,
    entryPoints: { cli: 'cli/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    // Each command group is its own chunk, loaded when used (cli/registry.ts): start-up stays small.
    splitting: true,
    chunkNames: 'cli-chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    packages: 'external', // cli/index.ts starts with the #!/usr/bin/env node line esbuild keeps
  },
];

if (existsSync('extension/extension.ts')) {
  builds.push({
    ...distCjs,
    entryPoints: { extensionMain: 'extension/extension.ts' },
    external: runtimeExternals,
    plugins: [oneVscodeNamespace],
    // Library code finds shipped files through import.meta.url; give the CommonJS bundle one.
    define: { 'import.meta.url': '__medigen_import_meta_url' },
    banner: { js: "const __medigen_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
  // VS Code's entry: runs extensionMain.cjs with V8's code cache (extension/codeCache.ts).
  builds.push({
    ...distCjs,
    entryPoints: { extension: 'extension/entry.ts' },
    // The entry's first line notes when VS Code started running it (activation timing, see extension.ts).
    banner: { js: 'globalThis.__medigenBundleStart = performance.now();' },
  });
}

// The process that runs an exercise's checks (curriculum/engine/checks.ts starts it): mocha bundled
// in, so a packaged MediGen Lab (the .vsix) runs checks without mocha in its node_modules.
if (existsSync('curriculum/engine/checkChild.ts')) {
  builds.push({
    ...distCjs,
    entryPoints: { 'checkChild': 'curriculum/engine/checkChild.ts' },
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's parallel mode, unused here
  });
}

// Integration tests run inside VS Code's extension host (scripts/vscode/runTests.ts, or
// @vscode/test-electron): CommonJS like the extension, mocha bundled in, `vscode` external.
const integrationTests = existsSync('test/integration')
  ? readdirSync('test/integration', { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => `test/integration/${f}`)
  : [];
if (integrationTests.length > 0) {
  rmSync('out/test/integration', { recursive: true, force: true }); // no stale suites from deleted files
  builds.push({
    ...common,
    entryPoints: integrationTests,
    outbase: 'test/integration',
    outdir: 'out/test/integration',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    external: runtimeExternals,
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's parallel mode, unused here
    define: { 'import.meta.url': '__medigen_import_meta_url' },
    // The bundle's first line notes when VS Code started running it (activation timing, see extension.ts).
    banner: { js: "globalThis.__medigenBundleStart = performance.now(); const __medigen_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
}

// The lesson page's script is inlined in the page and its toolkit components load after the first
// paint (extension/lesson/html.ts): both are always minified, the lesson's text shows sooner.
const minifiedWebviews = new Set(['lesson', 'lessonToolkit']);
for (const [name, entry] of [['lesson', 'webviews/lesson/main.ts'], ['lessonToolkit', 'webviews/lesson/toolkit.ts'], ['dashboard', 'webviews/dashboard/main.ts'], ['trainForm', 'webviews/trainForm/main.ts'], ['review', 'webviews/review/main.ts']]) {
  if (existsSync(entry)) {
    builds.push({ ...common, ...(minifiedWebviews.has(name) ? { minify: true } : {}), entryPoints: { [name]: entry }, outdir: 'dist/webviews', platform: 'browser', format: 'iife', target: 'es2022' });
  }
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // Code run from V8's code cache cannot import() (extension/codeCache.ts): the extension bundle
  // loads its run-time packages through core's importPackage, never with an import() of its own.
  if (existsSync('dist/extensionMain.cjs')) {
    const own = readFileSync('dist/extensionMain.cjs', 'utf8').match(/\bimport\(\s*["'`][^"'`]*/g);
    if (own) {
      console.error(`esbuild.mjs: dist/extensionMain.cjs has ${own.map((m) => `${m}")`).join(', ')}: load packages with importPackage (core/packages.ts), which works where the bundle runs from V8's code cache.`);
      process.exit(1);
    }
  }
}
