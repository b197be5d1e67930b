/**
 * A real VS Code for tests and UI checks: code-server (installed by scripts/vscode/setup.sh)
 * driven through headless Chromium. Entry points: runTests.ts (npm run test:vscode), open.ts
 * (open VS Code for a person, or take screenshots), runElectron.ts (desktop VS Code, needs internet).
 */
export { CODE_SERVER_VERSION, findRuntime } from './runtime';
export type { FindRuntimeOptions, VscodeRuntime } from './runtime';
export { startCodeServer } from './server';
export { freePort, openClassroomProfile, portIsFree, rememberPort, type ClassroomProfile } from './profile';
export type { CodeServer, CodeServerOptions } from './server';
export { CHROMIUM_ARGS, openWorkbench, workbenchUrl } from './workbench';
export type { OpenWorkbenchOptions, Workbench, WorkbenchTarget } from './workbench';
