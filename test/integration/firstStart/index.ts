/**
 * Runner of the first-start suite (this folder): scripts/vscode/runTests.ts --all opens a fresh
 * VS Code profile on a sandbox folder, with the first-start pages on, and gives it this bundle
 * (out/test/integration/firstStart/index.cjs) as `extensionTestsPath`. The same mocha runner as the
 * trusted suite; bundled here, it finds the `*.test.cjs` files of this folder only.
 */
export { run } from '../index';
