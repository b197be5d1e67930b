/**
 * Runner of the untrusted suite (this folder): scripts/vscode/runTests.ts --untrusted (or --all)
 * opens VS Code in Restricted Mode and gives it this bundle (out/test/integration/untrusted/index.cjs)
 * as `extensionTestsPath`. The same mocha runner as the trusted suite; bundled here, it finds the
 * `*.test.cjs` files of this folder only.
 */
export { run } from '../index';
