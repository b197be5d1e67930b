/**
 * MediGen Lab as a student gets it: installed from the .vsix (scripts/vscode/runTests.ts --vsix
 * puts it in VS Code's extensions folder with `code-server --install-extension`), NOT loaded from
 * this checkout. Activates it, starts a lesson, runs a check with the check runner inside the
 * installed folder (fails on the starter, passes on the solution), and writes a note with the
 * tiny test model through the installed node-llama-cpp.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../support';
import { loadSplit } from '../../../datasets/index';
import type { OpenLessonResult } from '../../../extension/commands/index';
import type { MedigenLabApi, VersionInfo } from '../../../extension/extension';
import type { GenerateNoteResult } from '../../../extension/generation/commands';
import type { ExerciseRunSummary } from '../../../extension/testing/controller';

// This bundle lives in <repo>/out/test/integration/vsix/.
const repoRoot = realpathSync(join(__dirname, '..', '..', '..', '..'));
const version = String(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };

function extension(): vscode.Extension<MedigenLabApi> {
  const ext = vscode.extensions.getExtension<MedigenLabApi>(EXTENSION_ID);
  assert.ok(ext, `VS Code has no ${EXTENSION_ID}: the .vsix was not installed`);
  return ext;
}

/** Every file under `dir`, relative, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).map((f) => f.split('\\').join('/'));
}

describe('MediGen Lab installed from the .vsix', function () {
  this.timeout(180_000);
  let installed: string;
  let tmp: string;
  let sandbox: string;
  const config = () => vscode.workspace.getConfiguration('medigenLab');

  before(async () => {
    installed = realpathSync(extension().extensionUri.fsPath);
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-vsix-it-')));
    sandbox = join(tmp, 'sandbox');
    await config().update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is loaded from VS Code\'s extensions folder, not this checkout, and has not activated yet', () => {
    const ext = extension();
    assert.ok(relative(repoRoot, installed).startsWith('..'), `loaded from ${installed}, inside the checkout ${repoRoot}`);
    assert.equal(installed.split('/').at(-1), `${EXTENSION_ID}-${version}`);
    assert.equal(ext.packageJSON.version, version);
    assert.equal(ext.isActive, false);
  });

  it('holds what it needs at run time and no tests, sources maps, dev packages or other platforms\' binaries', () => {
    const files = filesUnder(installed);
    for (const f of ['dist/extension.cjs', 'dist/extensionMain.cjs', 'dist/checkChild.cjs', 'dist/webviews/lesson.js', 'curriculum/runtime/lab.ts', 'curriculum/modules/meet-the-data/medigen-module.json', 'datasets/sample/valid.csv', 'models/train/trainer.py', 'models/train/requirements.txt', 'node_modules/tsx/package.json', 'node_modules/node-llama-cpp/package.json', 'node_modules/@node-llama-cpp/linux-x64/package.json', 'node_modules/@huggingface/transformers/package.json', 'LICENSE.txt', 'README.md']) {
      assert.ok(files.includes(f), `${f} is missing from the installed extension`);
    }
    const unwanted = files.filter((f) => /^(test|scripts|cli|sandbox|out|\.vscode-test|\.cache)\//.test(f) || /^node_modules\/(mocha|typescript|playwright-core|@vscode\/test-electron|@node-llama-cpp\/linux-x64-(cuda|vulkan)|@node-llama-cpp\/linux-arm|onnxruntime-web)\//.test(f) || f.endsWith('.map'));
    assert.deepEqual(unwanted.slice(0, 10), [], `${unwanted.length} files should not be in the .vsix`);
  });

  it('activates on "MediGen Lab: Show Version"', async () => {
    const info = await vscode.commands.executeCommand<VersionInfo>('medigenLab.showVersion');
    assert.equal(extension().isActive, true);
    assert.equal(info.extension, version);
  });

  it('"Start Lesson" puts the starter files in the sandbox and opens the lesson', async () => {
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.startLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    assert.ok(r, 'startLesson returned nothing: see the MediGen Lab output');
    assert.equal(r.title, 'Who speaks, and how often?');
    assert.deepEqual(r.exerciseDirs, [join(sandbox, 'meet-the-data', 'count-turns')]);
    assert.ok(existsSync(join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts')));
    const lab = await extension().exports.lessons.lab.get();
    assert.equal(realpathSync(lab.installed().find((m) => m.id === 'meet-the-data')!.source), join(installed, 'curriculum', 'modules', 'meet-the-data'));
  });

  it('"Run Check" fails on the starter (the check runner of the installed folder)', async () => {
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.ok(s, 'runCheck returned nothing: see the MediGen Lab output');
    assert.equal(s.status, 'failed', JSON.stringify(s.results.slice(0, 2)));
    assert.equal(s.passed, 0);
    assert.ok(s.total >= 2);
    assert.equal(s.results.find((r) => r.location)?.location?.file, join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts'));
  });

  it('"Run Check" passes once the solution (from the installed module) is in the sandbox', async () => {
    const file = await vscode.commands.executeCommand<string>('medigenLab.openExercise', ex);
    const doc = await vscode.workspace.openTextDocument(file);
    const solution = readFileSync(join(installed, 'curriculum', 'modules', 'meet-the-data', 'exercises', 'count-turns', 'solution', 'turns.ts'), 'utf8');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), solution);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s.status, 'passed', JSON.stringify(s.results.filter((r) => r.status !== 'passed')));
    assert.equal(s.passed, s.total);
  });

  it('creates the tiny test model and writes a note for a sample encounter with the installed node-llama-cpp', async () => {
    try {
      const chosen = await vscode.commands.executeCommand<{ model: string; tiny: boolean }>('medigenLab.chooseModel', 'tiny');
      assert.ok(chosen?.tiny && existsSync(chosen.model), `no tiny model: ${JSON.stringify(chosen)}`);
      assert.equal(config().get('model'), chosen.model);
      await config().update('threads', 1, vscode.ConfigurationTarget.Global);
      // The shipped sample corpus (the default when medigenLab.corpusFolder is empty).
      const encounter = loadSplit('valid', join(installed, 'datasets', 'sample')).encounters[0]!;
      const r = await vscode.commands.executeCommand<GenerateNoteResult>('medigenLab.generateNoteForEncounter', { split: 'valid', encounterId: encounter.encounterId, settings: { maxTokens: 120 } });
      assert.ok(r, 'the command returned nothing (an error was shown): see the MediGen Lab output');
      assert.equal(r.backend, 'local');
      assert.ok(r.text.startsWith('CHIEF COMPLAINT'), r.text.slice(0, 60));
      assert.ok(r.generatedTokens! > 0 && r.generatedTokens! <= 120);
      assert.equal(r.reference?.encounterId, encounter.encounterId);
    } finally {
      for (const k of ['model', 'threads']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('loads the installed @huggingface/transformers and onnxruntime-node\'s native runtime (BERTScore, tokenizers)', async () => {
    const pkgDir = join(installed, 'node_modules', '@huggingface', 'transformers');
    const tf = (await import(pathToFileURL(join(pkgDir, 'dist', 'transformers.node.mjs')).href)) as { AutoTokenizer: unknown; Tensor: new (type: string, data: Float32Array, dims: number[]) => { dims: number[] } };
    assert.equal(typeof tf.AutoTokenizer, 'function');
    assert.deepEqual(new tf.Tensor('float32', new Float32Array(6), [2, 3]).dims, [2, 3]);
    const ort = createRequire(join(pkgDir, 'package.json'))('onnxruntime-node') as { listSupportedBackends: () => { name: string }[] };
    assert.ok(ort.listSupportedBackends().some((b) => b.name === 'cpu'), 'onnxruntime-node has no CPU backend');
  });
});
