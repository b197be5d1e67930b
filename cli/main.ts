import { describeError, fileErrorOf, MedigenError, UsageError } from '../core/index';
import { EXIT, formatHelp, parseFor, type Command, type CommandContext } from './command';
import { allCommands, commandsFor } from './registry';

const VERSION = '0.1.0';

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    'medigen — the MediGen Lab pipeline: ACI-BENCH data, instruction data, note generation and',
    'benchmark-exact evaluation, all on this machine.',
    '',
    'Usage: medigen <command> [options]      (medigen <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'With no --corpus, data commands use the small sample corpus shipped with MediGen Lab.',
    'Point at the real ACI-BENCH with --corpus <folder> or the ACI_BENCH_DIR environment variable.',
    '',
  ].join('\n');
}

/** Finds the command whose words start argv, longest match first. */
function findCommand(commands: Command[], argv: string[]): { cmd: Command; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.path.length - a.path.length);
  for (const cmd of sorted) {
    if (cmd.path.every((w, i) => argv[i] === w)) return { cmd, rest: argv.slice(cmd.path.length) };
  }
  return undefined;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out.write(overview(await allCommands()));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] === '--version') {
    out.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const group = await commandsFor(argv[0]!);
  const found = findCommand(group, argv);
  if (!found) {
    // `medigen curriculum --help` (or just `medigen curriculum`): the group's commands, asked for.
    const askedForGroup = group.length > 0 && (argv.length === 1 || (argv.length === 2 && ['--help', '-h', 'help'].includes(argv[1]!)));
    if (askedForGroup) {
      const width = Math.max(...group.map((c) => c.path.join(' ').length));
      out.write(`The "${argv[0]}" commands (medigen ${argv[0]} <command> --help for details):\n`);
      for (const c of group) out.write(`  medigen ${c.path.join(' ').padEnd(width)}  ${c.summary}\n`);
      return argv.length === 1 ? EXIT.usage : EXIT.ok;
    }
    if (group.length) {
      err.write(`"medigen ${argv.join(' ')}" is not a command. The "${argv[0]}" commands are:\n`);
      for (const c of group) err.write(`  medigen ${c.path.join(' ')}  ${c.summary}\n`);
    } else {
      err.write(`"${argv[0]}" is not a medigen command. Run \`medigen --help\` to see them all.\n`);
    }
    return EXIT.usage;
  }
  const { cmd, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(formatHelp(cmd));
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseFor(cmd, rest);
    const ctx = { values, positionals, out, err } as CommandContext;
    return await cmd.run(ctx);
  } catch (caught) {
    // A file error that no command turned into a message still names the file and what to do.
    const e = fileErrorOf(caught) ?? caught;
    err.write(`${describeError(e)}\n`);
    if (e instanceof UsageError) return EXIT.usage;
    if (e instanceof MedigenError) return EXIT.failed;
    if (process.env.MEDIGEN_DEBUG && e instanceof Error && e.stack) err.write(`${e.stack}\n`);
    else err.write('This looks like a bug in MediGen Lab. Run again with MEDIGEN_DEBUG=1 for details and report it.\n');
    return EXIT.failed;
  }
}
