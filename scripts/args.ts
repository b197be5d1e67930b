/**
 * Command-line options of the project's scripts (node:util parseArgs with -h/--help added): a bad
 * option or --help is answered here, and the caller gets the exit code to return instead of values.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

export function scriptArgs<const O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string): ReturnType<typeof parseArgs<{ options: O & typeof HELP }>>['values'] | number {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { ...options, ...HELP } }) as { values: Record<string, unknown> });
  } catch (err) {
    console.error(`${(err as Error).message}\n  What to do: run with --help to see the options.`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return values as unknown as ReturnType<typeof parseArgs<{ options: O & typeof HELP }>>['values'];
}
