/**
 * From what training produces to what generation loads: `--model` and `--lora` accept a GGUF file,
 * a Hugging Face model folder, a PEFT adapter folder, or a MediGen Lab run folder, and the folders
 * are converted to GGUF on the way (models/gguf/convertHf.ts, models/train/peftToGguf.ts). A
 * conversion is cached: it is redone only when the source files change.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { convertHfToGguf } from '../gguf/index';
import { isRemoteRef, modelsDir } from '../llm/index';
import { convertPeftToGguf, runBaseModel } from '../train/index';

/** What a `--model` / `--lora` reference turned out to be. */
export type ArtifactKind = 'gguf' | 'remote' | 'hf-model' | 'peft-adapter' | 'run';

/** What `ref` is; `what` names it in errors ("The model", "The LoRA adapter"). */
export function artifactKind(ref: string, what = 'The file'): ArtifactKind {
  if (isRemoteRef(ref)) return 'remote';
  const abs = resolve(ref);
  if (!existsSync(abs)) throw new MedigenError(`${what} ${ref} does not exist.`, 'Give a .gguf file, a Hugging Face model folder, a PEFT adapter folder, or a training run folder (see `medigen train runs`).');
  if (!statSync(abs).isDirectory()) return 'gguf';
  if (existsSync(join(abs, 'adapter_config.json'))) return 'peft-adapter';
  if (existsSync(join(abs, 'config.json')) && existsSync(join(abs, 'protocol.jsonl'))) return 'run';
  if (existsSync(join(abs, 'config.json')) && existsSync(join(abs, 'data', 'train.jsonl'))) return 'run';
  if (existsSync(join(abs, 'config.json')) && readdirSync(abs).some((f) => f.endsWith('.safetensors'))) return 'hf-model';
  throw new MedigenError(`${what} ${ref} is a folder MediGen Lab cannot load: it is not a Hugging Face model (config.json and *.safetensors), a PEFT adapter (adapter_config.json), or a training run.`, 'Give a .gguf file, or one of those folders.');
}


/** A stamp of a folder's files (names, sizes, modification times): the cache key of a conversion. */
function folderStamp(dir: string, extra = ''): string {
  const h = createHash('sha256').update(resolve(dir)).update(extra);
  for (const f of readdirSync(dir).sort()) {
    const s = statSync(join(dir, f));
    if (s.isFile()) h.update(`${f}:${s.size}:${s.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/** Where conversions are cached. Defaults to `<models folder>/converted`. */
export function conversionCacheDir(): string {
  return join(modelsDir(), 'converted');
}

export interface ResolvedArtifact {
  /** The GGUF file to load (or the hf: URI). */
  path: string;
  kind: ArtifactKind;
  /** True when this call converted it (false: given as GGUF, or taken from the cache). */
  converted: boolean;
}

async function cached(name: string, stamp: string, make: (tmp: string) => Promise<unknown>, say?: (m: string) => void): Promise<{ path: string; converted: boolean }> {
  const dir = conversionCacheDir();
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${name}-${stamp}.gguf`);
  if (existsSync(out)) {
    say?.(`Using the converted ${out} (cached; the source has not changed).`);
    return { path: out, converted: false };
  }
  const tmp = `${out}.partial`;
  await make(tmp);
  renameSync(tmp, out);
  say?.(`Converted to ${out} (cached for next time).`);
  return { path: out, converted: true };
}

export interface ResolveOptions {
  progress?: Progress;
  signal?: AbortSignal;
  /** One line per conversion or cache hit, for the user. */
  say?: (message: string) => void;
}

/** A `--model` reference as a GGUF path: a HF folder is converted (F16); a run folder means its base model. */
export async function resolveModelArtifact(ref: string, o: ResolveOptions = {}): Promise<ResolvedArtifact> {
  const kind = artifactKind(ref, 'The model');
  if (kind === 'remote' || kind === 'gguf') return { path: kind === 'gguf' ? resolve(ref) : ref, kind, converted: false };
  if (kind === 'peft-adapter') throw new MedigenError(`${ref} is a LoRA adapter, not a model.`, 'Give it with --lora, and the base model it was trained on with --model.');
  if (kind === 'run') {
    const base = runBaseModel(ref);
    o.say?.(`${ref} is a training run; its base model is ${base}.`);
    return { ...(await resolveModelArtifact(base, o)), kind: 'run' };
  }
  const dir = resolve(ref);
  const name = dir.split(/[\\/]/).pop() ?? 'model';
  const r = await cached(name, folderStamp(dir), (tmp) => convertHfToGguf({ modelDir: dir, out: tmp, ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) }), o.say);
  return { ...r, kind };
}

/**
 * A `--lora` reference as a GGUF adapter for the given base GGUF: a PEFT folder, or a run folder
 * (its final adapter/), is converted against that base.
 */
export async function resolveAdapterArtifact(ref: string, baseGguf: string, o: ResolveOptions = {}): Promise<ResolvedArtifact> {
  const kind = artifactKind(ref, 'The LoRA adapter');
  if (kind === 'remote') throw new MedigenError(`${ref} is a remote model, not an adapter.`, 'Give --lora a .gguf adapter, a PEFT adapter folder, or a training run folder.');
  if (kind === 'gguf') return { path: resolve(ref), kind, converted: false };
  if (kind === 'hf-model') throw new MedigenError(`${ref} is a full model, not a LoRA adapter.`, 'Give it with --model; --lora takes an adapter (a run folder, its adapter/ folder, or a .gguf adapter).');
  let adapterDir = resolve(ref);
  if (kind === 'run') {
    adapterDir = join(adapterDir, 'adapter');
    if (!existsSync(join(adapterDir, 'adapter_config.json'))) throw new MedigenError(`The run ${ref} has no final adapter yet (${adapterDir} is missing).`, 'Let the run finish (`medigen train resume <run>`), or give one of its checkpoints/step-N folders.');
  }
  if (!existsSync(baseGguf) || statSync(baseGguf).isDirectory()) throw new MedigenError(`Converting the adapter needs the base model as a local GGUF file (got ${baseGguf}).`, 'Give --model the base model the adapter was trained on (a .gguf file or its Hugging Face folder).');
  const base = statSync(baseGguf);
  const name = `adapter-${(kind === 'run' ? resolve(ref) : adapterDir).split(/[\\/]/).pop()}`;
  const r = await cached(name, folderStamp(adapterDir, `${resolve(baseGguf)}:${base.size}:${base.mtimeMs}`), (tmp) => convertPeftToGguf({ adapterDir, baseModel: baseGguf, out: tmp, ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) }), o.say);
  return { ...r, kind };
}
