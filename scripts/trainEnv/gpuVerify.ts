/**
 * The last step of the GPU run (scripts/trainEnv/gpuRun.sh), on any machine: the adapter the
 * trainer exported on the GPU, converted to a GGUF LoRA by the project's converter, loaded with the
 * converted base into node-llama-cpp; its greedy continuation must differ from the base's and equal
 * transformers + PEFT's (in .cache/train-venv, `npm run test:trainer` builds it).
 *
 *   npx tsx scripts/trainEnv/gpuVerify.ts DIR     DIR holds runs/main/ and tiny-hf-llama/ from the GPU run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { convertHfToGguf } from '../../models/gguf/index';
import { convertPeftToGguf } from '../../models/train/index';
import { ggufGreedy, hfGreedyWithBase } from '../../test/trainer/fixture';

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '');
  const model = join(dir, 'tiny-hf-llama');
  const adapter = join(dir, 'runs', 'main', 'adapter');
  const scratch = mkdtempSync(join(tmpdir(), 'medigen-gpu-verify-'));
  try {
    const base = join(scratch, 'base.gguf');
    const lora = join(scratch, 'lora.gguf');
    await convertHfToGguf({ modelDir: model, out: base, type: 'F32' });
    const res = await convertPeftToGguf({ adapterDir: adapter, baseModel: base, out: lora, type: 'F32' });
    console.log(`converted the GPU-trained adapter: ${res.tensors} tensors, rank ${res.rank}`);
    const prompt = '<|im_start|>user\nGenerate a clinical note.\n\n[doctor] how is your knee today?\n[patient] it still hurts when i walk.<|im_end|>\n<|im_start|>assistant\n';
    const hf = await hfGreedyWithBase(model, prompt, 12, adapter);
    const plain = await ggufGreedy(base, hf.base.prompt_ids, 12, hf.base.stop_ids);
    const tuned = await ggufGreedy(base, hf.prompt_ids, 12, hf.stop_ids, lora);
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    const checks = [
      ['the adapter changes what node-llama-cpp writes', !same(plain, tuned)],
      ['base: node-llama-cpp = transformers', same(plain, hf.base.ids)],
      ['with the adapter: node-llama-cpp = transformers + PEFT', same(tuned, hf.ids)],
    ] as const;
    for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}`);
    console.log(`node-llama-cpp with the adapter: ${JSON.stringify(hf.text)} (tokens ${tuned.join(' ')}; smallest logit margin ${hf.min_gap?.toFixed(3)})`);
    process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
