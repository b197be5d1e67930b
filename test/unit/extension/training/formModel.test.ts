import assert from 'node:assert/strict';
import { defaultTrainConfig, validateTrainConfig } from '../../../../models/train/index';
import { TRAIN_FORM_GROUPS, applyFormInputs, displayValue, formFields, getPath, liveRougeCostText, parseFieldInput, setPath } from '../../../../extension/training/formModel';

/** Every setting path of a config, as validateTrainConfig names them. */
function leafPaths(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('training run form model', () => {
  it('groups the study settings as model, data, QLoRA, LoRA and training', () => {
    assert.deepEqual(TRAIN_FORM_GROUPS.map((g) => g.id), ['model', 'data', 'qlora', 'lora', 'training']);
  });

  it('has a field for every setting of the default config (except version)', () => {
    const paths = new Set(formFields().map((f) => f.path));
    const missing = leafPaths(defaultTrainConfig() as unknown as Record<string, unknown>).filter((p) => p !== 'version' && !paths.has(p));
    assert.deepEqual(missing, []);
  });

  it('shows the defaults and reads them back unchanged', () => {
    const cfg = defaultTrainConfig();
    const inputs = Object.fromEntries(formFields().map((f) => [f.path, displayValue(f, cfg)]));
    assert.equal(inputs['lora.targetModules'], 'q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj');
    assert.equal(inputs['quantization.load4bit'], true);
    assert.equal(inputs['training.learningRate'], '0.0002');
    assert.equal(inputs.name, '');
    assert.deepEqual(applyFormInputs(cfg, inputs), cfg);
    assert.deepEqual(validateTrainConfig(applyFormInputs(cfg, inputs)), []);
  });

  it('turns typed values into config values, keeping bad numbers for validation to name', () => {
    const field = (p: string) => formFields().find((f) => f.path === p)!;
    assert.equal(parseFieldInput(field('lora.r'), ' 64 '), 64);
    assert.equal(parseFieldInput(field('lora.r'), 'sixty'), 'sixty');
    assert.equal(parseFieldInput(field('lora.r'), ''), '');
    assert.deepEqual(parseFieldInput(field('lora.targetModules'), 'q_proj,v_proj  o_proj'), ['q_proj', 'v_proj', 'o_proj']);
    assert.equal(parseFieldInput(field('data.corpus'), '  '), undefined);
    assert.equal(parseFieldInput(field('training.gradientCheckpointing'), false), false);
    const cfg = applyFormInputs(defaultTrainConfig(), { 'lora.r': 'sixty', 'training.batchSize': '0', name: 'my-run' });
    assert.equal(cfg.name, 'my-run');
    const problems = validateTrainConfig(cfg);
    assert.deepEqual(problems.map((p) => p.path).sort(), ['lora.r', 'training.batchSize']);
    assert.match(problems.find((p) => p.path === 'lora.r')!.message, /must be a number/);
  });

  it('shows the live-ROUGE settings and says what they cost', () => {
    const paths = formFields().map((f) => f.path);
    assert.ok(paths.includes('training.liveRougeSamples') && paths.includes('training.liveRougeMaxTokens'));
    const cfg = applyFormInputs(defaultTrainConfig(), { 'training.liveRougeSamples': '6', 'training.liveRougeMaxTokens': '300' });
    assert.deepEqual([cfg.training.liveRougeSamples, cfg.training.liveRougeMaxTokens], [6, 300]);
    assert.match(liveRougeCostText('6', '300'), /^Cost: generates 6 notes of up to 300 tokens before training and at each validation/);
    assert.match(liveRougeCostText(1, 512), /generates 1 note of up to 512 tokens/);
    assert.equal(liveRougeCostText('0', '512'), 'Live ROUGE is off: only the losses are drawn while the model trains.');
    assert.equal(liveRougeCostText('two', '512'), '', 'nothing is claimed for an invalid entry (validation names it)');
    assert.equal(liveRougeCostText('4', ''), '');
  });

  it('sets and reads dotted paths without changing the original', () => {
    const cfg = defaultTrainConfig();
    const next = setPath(cfg, 'data.corpus', '/data/aci');
    assert.equal(getPath(next, 'data.corpus'), '/data/aci');
    assert.equal(cfg.data.corpus, undefined);
    assert.equal(getPath(setPath(next, 'data.corpus', undefined), 'data.corpus'), undefined);
    assert.equal(getPath(cfg, 'nope.deeper'), undefined);
  });
});
