/**
 * `npm run package`: builds the extension (production), then writes one .vsix per platform
 * (medigen-lab-<version>-<target>.vsix) and prints its size and what takes the space.
 *
 *   tsx scripts/package/cli.ts [--target T | --all] [--out FILE.vsix] [--list]
 */
import { relative } from 'node:path';
import { describeError, projectRoot } from '../../core/index';
import { buildVsix } from './vsix';
import { hostTarget, targetOf, TARGET_NAMES, TARGETS, type Target } from './targets';
import { platformCacheDir } from './fetch';
import { scriptArgs } from '../args';

const USAGE = `Writes MediGen Lab's installable VS Code extension (.vsix) for one platform, or for all five.

Usage: tsx scripts/package/cli.ts [--target T | --all] [--out FILE.vsix] [--list]
       (npm run package -- ... builds first, then runs this)

Options:
  --target T    the platform: ${TARGET_NAMES.join(', ')}
                (default: this computer's). Another platform's native packages (node-llama-cpp's
                binary, esbuild, sharp) are downloaded once from the npm registry into
                .cache/platform-packages; offline, only packages already there can be used.
  --all         one .vsix for each of the five platforms
  --out FILE    the .vsix to write (one target only; default: medigen-lab-<version>-<target>.vsix
                in the project folder)
  --list        also print every packaged file
  -h, --help    show this help`;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** How a student installs the .vsix for `target`. */
const installHint = (file: string, target: Target) => `code --install-extension ${file}   (VS Code on ${target.name}; or Extensions view → ⋯ → Install from VSIX…)`;

async function main(): Promise<number> {
  const values = scriptArgs({ target: { type: 'string' }, all: { type: 'boolean', default: false }, out: { type: 'string' }, list: { type: 'boolean', default: false } }, USAGE);
  if (typeof values === 'number') return values;
  if (values.all && (values.target || values.out)) {
    console.error('--all writes all five .vsix files with their default names: it does not go with --target or --out.\n  What to do: use --all alone, or --target T [--out FILE].');
    return 2;
  }
  const host = hostTarget();
  if (!values.all && !values.target && !host) {
    console.error(`This computer (${process.platform}-${process.arch}) is not one of the platforms MediGen Lab is packaged for.\n  What to do: name one with --target (${TARGET_NAMES.join(', ')}), or use --all.`);
    return 2;
  }
  const targets = values.all ? TARGET_NAMES.map((n) => TARGETS[n]) : [values.target ? targetOf(values.target) : host!];
  const root = projectRoot();
  for (const target of targets) {
    const started = Date.now();
    const s = await buildVsix({ root, target, out: values.out });
    const file = relative(process.cwd(), s.file) || s.file;
    if (values.list) for (const f of s.files) console.log(`${f.path}  ${f.size}`);
    console.log(`\n${target.name}: installed size by part:`);
    for (const p of s.parts.slice(0, 12)) console.log(`  ${mb(p.bytes).padStart(9)}  ${String(p.files).padStart(5)} files  ${p.part}`);
    if (s.note) console.log(`Note: ${s.note}`);
    console.log(`Wrote ${file}: ${mb(s.bytes)} (${s.files.length} files, ${mb(s.installedBytes)} once installed) in ${((Date.now() - started) / 1000).toFixed(1)} s.\nInstall it with: ${installHint(file, target)}`);
  }
  if (targets.some((t) => t !== host)) console.log(`\nOther platforms' packages are kept in ${relative(process.cwd(), platformCacheDir(root))} for the next time (also offline).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
