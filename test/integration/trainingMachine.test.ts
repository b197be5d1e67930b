/**
 * The run form on the machine the tests run on, in a real VS Code: the preflight says what this
 * machine can train (asked of the real trainer.py --check-env), and with the study's settings a
 * machine without a CUDA GPU gets Launch refused with the reason and what to do (the CPU course
 * setting, the GPU paths); a machine with one is let through to the memory estimate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MedigenLabApi } from '../../extension/extension';
import type { TrainFormPanel } from '../../extension/training/formPanel';

describe('The run form says what this machine can train', function () {
  this.timeout(120_000);
  let folder: string;
  let form: TrainFormPanel;
  const settings = () => vscode.workspace.getConfiguration('medigenLab');

  before(async () => {
    await vscode.extensions.getExtension<MedigenLabApi>('medigen-lab.medigen-lab')!.activate();
    folder = mkdtempSync(join(tmpdir(), 'medigen-machine-it-'));
    await settings().update('trainingFolder', folder, vscode.ConfigurationTarget.Global);
    await settings().update('trainerScript', undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    form?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('the study\'s run: refused without a CUDA GPU (reason and what to do), allowed with one', async () => {
    form = (await vscode.commands.executeCommand<TrainFormPanel>('medigenLab.newTrainingRun'))!;
    const env = await form.checkEnvironment();
    const machine = env.machine;
    assert.ok(machine, `the training Python did not answer: ${env.message}`);
    const verdict = form.verdict!;
    assert.ok(verdict, 'the form has no verdict after the environment answered');
    if (!machine.cuda) {
      assert.match(machine.summary, /no CUDA GPU, so it can train on the CPU only/);
      assert.equal(verdict.canRun, false);
      assert.match(verdict.reason!, /no CUDA GPU/);
      assert.match(verdict.whatToDo!, /CPU course setting/);
      await assert.rejects(form.launch(), (e: unknown) => e instanceof Error && /cannot start on this machine/.test(e.message) && /CPU course setting/.test((e as Error & { hint?: string }).hint ?? ''));
    } else {
      assert.match(machine.summary, /has a CUDA GPU/);
      assert.equal(verdict.canRun, true, JSON.stringify(verdict));
    }
  });

  it('Device cpu with 4-bit on is refused whatever the machine, saying how to train plain LoRA', async () => {
    assert.equal(await form.setInputs({ device: 'cpu', baseModel: join(folder, 'no-such-model') }), 0);
    assert.equal(form.verdict?.canRun, false);
    assert.match(form.verdict!.reason!, /4-bit loading \(QLoRA\) needs bitsandbytes on a CUDA GPU/);
    assert.equal(await form.setInputs({ 'quantization.load4bit': false }), 0);
    assert.equal(form.verdict?.canRun, true, JSON.stringify(form.verdict));
    assert.match(form.verdict!.reason!, /cannot tell the size/);
  });
});
