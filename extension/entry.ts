/**
 * VS Code's entry point (package.json "main": dist/extension.cjs, built from this file). It runs
 * the extension itself (dist/extensionMain.cjs, built from extension.ts) with V8's code cache
 * (codeCache.ts), and writes the cache once the first seconds of use have compiled what a lesson
 * runs. `activate` and `deactivate` are the bundle's; they become this module's exports.
 */
import { join } from 'node:path';
import { runCachedBundle } from './codeCache';

/** ms after loading before the cache is written: by then the first lesson has usually rendered. */
const SAVE_AFTER_MS = 5000;

// The bundle's import() of node-llama-cpp and transformers.js (core/packages.ts): code run from
// V8's cache cannot import() itself, this module can.
(globalThis as { __medigenImportPackage?: (name: string) => Promise<unknown> }).__medigenImportPackage = (name) => import(name);
const bundle = runCachedBundle(join(__dirname, 'extensionMain.cjs'), module, require);
// For the activation timings (extension.ts): whether this start had the cache.
(globalThis as { __medigenCodeCache?: string }).__medigenCodeCache = bundle.cache;
// Names this build for what it keeps between sessions (the lesson render cache, register.ts).
(globalThis as { __medigenBundleHash?: string }).__medigenBundleHash = bundle.hash;
setTimeout(() => bundle.save(), SAVE_AFTER_MS).unref();
