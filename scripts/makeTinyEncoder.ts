/**
 * Writes the tiny random BERTScore encoder (models/tiny) to a folder, for trying BERTScore by hand:
 *   npx tsx scripts/makeTinyEncoder.ts <outDir> [--seed N]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTinyEncoder } from '../models/tiny/index';

function main(argv: string[]): number {
  const args = [...argv];
  let seed = 1;
  const s = args.indexOf('--seed');
  if (s >= 0) {
    seed = Number(args[s + 1]);
    args.splice(s, 2);
  }
  const dir = args[0];
  if (!dir || !Number.isInteger(seed)) {
    process.stderr.write('Usage: npx tsx scripts/makeTinyEncoder.ts <outDir> [--seed N]\n');
    return 2;
  }
  const info = makeTinyEncoder(dir, { seed });
  process.stdout.write(
    `Wrote a tiny random encoder to ${info.dir} (vocabulary ${info.vocabSize}, hidden ${info.hidden}, ${info.layers} layers, ` +
      `${(info.onnxBytes / 1024).toFixed(0)} KiB ONNX; outputs ${info.outputNames.join(', ')}).\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
