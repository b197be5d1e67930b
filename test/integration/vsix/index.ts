/**
 * Runner of the installed-extension suite (this folder): scripts/vscode/runTests.ts --vsix FILE
 * (npm run test:vsix) installs the .vsix into a throwaway VS Code and gives it this bundle
 * (out/test/integration/vsix/index.cjs) as `extensionTestsPath`. The same mocha runner as the
 * trusted suite; bundled here, it finds the `*.test.cjs` files of this folder only.
 */
export { run } from '../index';
