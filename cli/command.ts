import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/index';

/** Exit codes of every `medigen` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command receives: parsed flags, positionals and the two output streams. */
export interface CommandContext<O extends Options = Options> {
  values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string };
  positionals: string[];
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
}

/** One `medigen` sub-command, e.g. `medigen data stats`. */
export interface Command<O extends Options = Options> {
  /** Words after `medigen`, e.g. ['data', 'stats']. */
  path: string[];
  summary: string;
  /** Usage line(s) after the command words, e.g. '[--split NAME] [--json]'. */
  usage: string;
  /** Each option's help text, keyed like `options`. */
  help: { [K in keyof O]: string };
  options: O;
  /** Extra paragraphs for --help (examples, what the output means). */
  details?: string;
  run(ctx: CommandContext<O>): Promise<number>;
}

export function defineCommand<O extends Options>(c: Command<O>): Command {
  return c as unknown as Command;
}

/** Parses argv for one command, turning node's parse errors into a UsageError. */
export function parseFor(cmd: Command, argv: string[]): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals, tokens } = parseArgs({ args: argv, options: cmd.options, allowPositionals: true, strict: true, tokens: true });
    // A single-value option given twice would silently keep the last one (e.g. two --pred files).
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t.kind !== 'option' || cmd.options[t.name]?.multiple) continue;
      if (seen.has(t.name)) throw new UsageError(`--${t.name} was given more than once; it takes one value.`, `Give --${t.name} once (run \`medigen ${cmd.path.join(' ')} --help\` to see which options can repeat).`);
      seen.add(t.name);
    }
    return { values, positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`, `Run \`medigen ${cmd.path.join(' ')} --help\` to see its options.`);
  }
}

export function formatHelp(cmd: Command): string {
  const lines = [`medigen ${cmd.path.join(' ')} — ${cmd.summary}`, '', `Usage: medigen ${cmd.path.join(' ')} ${cmd.usage}`.trimEnd(), ''];
  const names = Object.keys(cmd.options);
  if (names.length) {
    lines.push('Options:');
    const flag = (n: string) => {
      const o = cmd.options[n]!;
      return `${o.short ? `-${o.short}, ` : '    '}--${n}${o.type === 'string' ? ' <value>' : ''}`;
    };
    const width = Math.max(...names.map((n) => flag(n).length));
    for (const n of names) lines.push(`  ${flag(n).padEnd(width)}  ${(cmd.help as Record<string, string>)[n] ?? ''}`);
    lines.push(`  ${'    --help'.padEnd(width)}  Show this help.`);
    lines.push('');
  }
  if (cmd.details) lines.push(cmd.details.trim(), '');
  lines.push('Exit codes: 0 success, 1 a check failed or the input has problems, 2 wrong usage.');
  return lines.join('\n') + '\n';
}
