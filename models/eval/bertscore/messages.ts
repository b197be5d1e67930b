/**
 * The error messages of BERTScore model loading, kept together so they stay consistent and say
 * what to do next.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../../core/index';

/** How to get a model folder, for hints. */
export const HOW_TO_PREPARE =
  'A BERTScore model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx. Make one on a computer ' +
  'with Python (transformers + optimum): save microsoft/deberta-xlarge-mnli with num_hidden_layers=40, export it with ' +
  '"optimum-cli export onnx --task feature-extraction", move model.onnx* into an onnx/ subfolder, and copy the folder here ' +
  '(the BERTScore section of the MediGen Lab README shows the commands).';

/**
 * Says what is wrong with a model folder: missing folder, a file instead of a folder, or which
 * required files are missing. Undefined when nothing is missing.
 */
export function describeFolderProblem(dir: string, required: readonly string[], isDirectory: boolean | undefined): MedigenError | undefined {
  if (isDirectory === undefined) {
    return new MedigenError(`The BERTScore model folder ${dir} does not exist.`, `Check the path you passed. ${HOW_TO_PREPARE}`);
  }
  if (!isDirectory) {
    return new MedigenError(`${dir} is a file, but BERTScore needs the model FOLDER that contains it.`, `Pass the folder instead. ${HOW_TO_PREPARE}`);
  }
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  if (missing.length === 0) return undefined;
  const onnxOnly = missing.length === 1 && missing[0] === 'onnx/model.onnx';
  return new MedigenError(
    `The BERTScore model folder ${dir} is missing ${missing.join(', ')}.`,
    onnxOnly
      ? 'The folder has the tokenizer but no ONNX weights: put the exported model.onnx into an "onnx" subfolder (onnx/model.onnx). ' +
          'A PyTorch or safetensors checkpoint has to be exported to ONNX first (optimum-cli export onnx ... on a computer with Python).'
      : HOW_TO_PREPARE,
  );
}

/** Why hidden layer `requested` is not available, for the error message. */
export function layerProblem(requested: number, perLayer: number[], lastLayer: number | undefined): string {
  const parts: string[] = [];
  if (perLayer.length > 0) parts.push(`the ONNX file outputs hidden layers ${perLayer[0]}..${perLayer[perLayer.length - 1]}`);
  if (lastLayer !== undefined) parts.push(`its last_hidden_state is layer ${lastLayer}`);
  else if (perLayer.length === 0) parts.push('its last_hidden_state belongs to an unknown layer (config.json has no num_hidden_layers, and there is no medigen.json)');
  return `${parts.join('; ')}, not layer ${requested}.`;
}

/** A MedigenError for a part of the folder that exists but would not load. */
export function loadProblem(dir: string, what: string, cause: unknown): MedigenError {
  const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new MedigenError(
    `The ${what} in ${dir} could not be loaded: ${detail}`,
    `The file is damaged or is not what its name says (for example a PyTorch file renamed to .onnx, or an unfinished copy). ${HOW_TO_PREPARE}`,
    { cause },
  );
}
