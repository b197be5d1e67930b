import { resolve } from 'node:path';
import { streamProgress } from '../../core/index';
import { resolveAdapterArtifact, resolveModelArtifact } from '../../models/convert/index';
import { readRunConfig } from '../../models/train/index';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * `--model` and `--lora` as GGUF files: a Hugging Face folder, a PEFT folder or a run folder is
 * converted on the way (cached). A run folder given to --lora supplies the base model when --model
 * is a run too, and its instruction template when none is given, so generation uses the run's prompt.
 */
export async function localArtifacts(v: Values, err: NodeJS.WriteStream): Promise<{ model: string; lora?: string; template?: string }> {
  const say = (m: string) => err.write(`${m}\n`);
  const progress = streamProgress(err, 'Converting to GGUF');
  try {
    const model = await resolveModelArtifact(String(v.model), { say, progress });
    if (typeof v.lora !== 'string') return { model: model.path };
    const lora = await resolveAdapterArtifact(v.lora, model.path, { say, progress });
    const t = lora.kind === 'run' && !v.template ? readRunConfig(v.lora).data?.template : undefined;
    const runTemplate = typeof t === 'string' && t ? t : undefined;
    if (runTemplate) say(`Using the run's instruction template ${runTemplate}, the prompt it was trained on.`);
    return { model: model.path, lora: lora.path, ...(runTemplate ? { template: resolve(runTemplate) } : {}) };
  } finally {
    progress.end();
  }
}

