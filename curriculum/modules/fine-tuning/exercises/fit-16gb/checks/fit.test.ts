import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DEFAULT_TARGET_MODULES, KNOWN_ARCHITECTURES, estimateTrainingMemory, type Architecture, type MemorySettings } from 'medigen-lab';

interface Student {
  settingsFor16GB(): MemorySettings;
  explainEstimate(arch: Architecture, settings: MemorySettings): { totalGiB: number; biggest: string };
}

const GiB = 1024 ** 3;
const LLAMA_3_8B = KNOWN_ARCHITECTURES['llama-3-8b']!;
/** The settings estimateTrainingMemory reads (MemorySettings); any other name is ignored by it. */
const SETTINGS = ['load4bit', 'doubleQuant', 'loraRank', 'targetModules', 'loraDropout', 'batchSize', 'maxSeqLength', 'gradientCheckpointing', 'attention'];

/** Fails on a setting name MediGen Lab does not know: the estimate would silently ignore it. */
function knownSettingsOnly(s: unknown): void {
  const unknown = Object.keys(s ?? {}).filter((k) => !SETTINGS.includes(k));
  if (!unknown.length) return;
  const meant = (k: string) => SETTINGS.find((x) => x.toLowerCase() === k.toLowerCase());
  assert.fail(`${unknown.map((k) => `"${k}"${meant(k) ? ` (did you mean "${meant(k)}"? capital letters count)` : ''}`).join(', ')} ${unknown.length === 1 ? 'is not a setting' : 'are not settings'} MediGen Lab knows, so the estimate ignores ${unknown.length === 1 ? 'it' : 'them'}. The settings are: ${SETTINGS.join(', ')}.`);
}

let student: Remote<Student>;
before(async () => { student = await loadStudent<Student>('fit.ts'); });
after(() => student?.close());

describe('fit-16gb', () => {
  it('settingsFor16GB: the estimate for Llama-3-8B stays within the 15 GiB a 16 GB card has free', async () => {
    const s = await student.settingsFor16GB();
    knownSettingsOnly(s);
    const estimate = estimateTrainingMemory(LLAMA_3_8B, s);
    const total = estimate.total / GiB;
    const biggest = estimate.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    assert.ok(total <= 15, `With your settings MediGen Lab estimates ${total.toFixed(1)} GiB for Llama-3-8B, more than the 15 GiB a 16 GB card has free. The biggest part is "${biggest.label}" (${(biggest.bytes / GiB).toFixed(1)} GiB): lesson 3's "switches that matter" say which setting shrinks it (settings: ${JSON.stringify(s)})`);
  });

  it('settingsFor16GB keeps the study\'s adapters (rank 16 on all seven projections) and 2,048 tokens or more', async () => {
    const s = await student.settingsFor16GB();
    knownSettingsOnly(s);
    assert.equal(s.loraRank, 16, `settingsFor16GB should keep LoRA rank 16 (the study's); it gives ${s.loraRank}`);
    assert.deepEqual([...(s.targetModules ?? [])].sort(), [...DEFAULT_TARGET_MODULES].sort(), `settingsFor16GB should put adapters on all seven projections (${DEFAULT_TARGET_MODULES.join(', ')}); it names ${JSON.stringify(s.targetModules)}`);
    assert.ok(s.maxSeqLength >= 2048, `settingsFor16GB should keep at least 2,048 tokens, or long dialogues lose their note; it gives ${s.maxSeqLength}`);
    assert.ok(Number.isInteger(s.batchSize) && s.batchSize >= 1, `settingsFor16GB should use a batch size of 1 or more; it gives ${s.batchSize}`);
  });

  it('explainEstimate gives the total in GiB, rounded to one decimal', async () => {
    const cases: [Architecture, MemorySettings][] = [
      [LLAMA_3_8B, { load4bit: true, loraRank: 16, targetModules: [...DEFAULT_TARGET_MODULES], batchSize: 1, maxSeqLength: 4096, gradientCheckpointing: true }],
      [KNOWN_ARCHITECTURES['mistral-7b']!, { load4bit: false, loraRank: 8, targetModules: ['q_proj', 'v_proj'], batchSize: 2, maxSeqLength: 1024, gradientCheckpointing: true }],
    ];
    for (const [arch, s] of cases) {
      const want = Math.round((estimateTrainingMemory(arch, s).total / GiB) * 10) / 10;
      const got = await student.explainEstimate(arch, s);
      assert.equal(got?.totalGiB, want, `explainEstimate for ${arch.name} (${s.load4bit ? '4-bit' : '16-bit'}, ${s.maxSeqLength} tokens) should give ${want} GiB; your code gave ${JSON.stringify(got?.totalGiB)}${typeof got?.totalGiB === 'string' ? ' (text, not a number: toFixed gives text; Math.round(x * 10) / 10 gives a number)' : typeof got?.totalGiB === 'number' && Math.abs(got.totalGiB - want) < 0.06 ? ' (round it to one decimal: Math.round(x * 10) / 10)' : typeof got?.totalGiB === 'number' && got.totalGiB > 1000 ? ' (that is bytes: divide estimate.total by 1024 ** 3 for GiB)' : ''}`);
    }
  });

  it('explainEstimate names the biggest part of the estimate', async () => {
    const cases: [Architecture, MemorySettings, string][] = [
      [LLAMA_3_8B, { load4bit: true, loraRank: 16, targetModules: [...DEFAULT_TARGET_MODULES], batchSize: 1, maxSeqLength: 4096, gradientCheckpointing: true }, 'Logits and loss'],
      [KNOWN_ARCHITECTURES['llama-3.2-3b']!, { load4bit: true, loraRank: 16, targetModules: [...DEFAULT_TARGET_MODULES], batchSize: 2, maxSeqLength: 2048, gradientCheckpointing: false }, 'Activations'],
    ];
    for (const [arch, s, want] of cases) {
      const got = await student.explainEstimate(arch, s);
      assert.equal(got?.biggest, want, `For ${arch.name} with ${s.maxSeqLength} tokens and checkpointing ${s.gradientCheckpointing ? 'on' : 'off'}, the biggest part is "${want}"; your code named "${got?.biggest}"`);
    }
  });
});
