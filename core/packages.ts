/**
 * `import()` of a package that the bundles leave out and load at run time (node-llama-cpp,
 * transformers.js). The extension's bundle runs from V8's code cache (extension/codeCache.ts), and
 * on Node 20 code run from that cache cannot `import()` at all; so the extension's entry
 * (extension/entry.ts, an ordinary module) hands the bundle an `import()` of its own, found here.
 * Everywhere else (the CLI, tests, student code) this is a plain `import()`.
 */
export function importPackage<T>(name: string): Promise<T> {
  const fromEntry = (globalThis as { __medigenImportPackage?: (name: string) => Promise<unknown> }).__medigenImportPackage;
  return (fromEntry ? fromEntry(name) : import(name)) as Promise<T>;
}
