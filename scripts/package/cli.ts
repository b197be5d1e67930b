/**
 * `npm run package`: builds the extension (production), then writes medigen-lab-<version>.vsix
 * and prints its size and what takes the space.
 *
 *   tsx scripts/package/cli.ts [--out FILE.vsix] [--list]
 */
import { relative } from 'node:path';
import { describeError } from '../../core/index';
import { projectRoot } from '../../core/index';
import { buildVsix } from './vsix';
import { scriptArgs } from '../args';

const USAGE = `Writes MediGen Lab's installable VS Code extension (.vsix) from the built project.

Usage: tsx scripts/package/cli.ts [--out FILE.vsix] [--list]     (npm run package builds first, then runs this)

Options:
  --out FILE    the .vsix to write (default: medigen-lab-<version>.vsix in the project folder)
  --list        also print every packaged file
  -h, --help    show this help`;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<number> {
  const values = scriptArgs({ out: { type: 'string' }, list: { type: 'boolean', default: false } }, USAGE);
  if (typeof values === 'number') return values;
  const root = projectRoot();
  const started = Date.now();
  const s = await buildVsix({ root, out: values.out });
  if (values.list) for (const f of s.files) console.log(`${f.path}  ${f.size}`);
  console.log('Installed size by part:');
  for (const p of s.parts) console.log(`  ${mb(p.bytes).padStart(9)}  ${String(p.files).padStart(5)} files  ${p.part}`);
  console.log(
    `Wrote ${relative(process.cwd(), s.file) || s.file}: ${mb(s.bytes)} (${s.files.length} files, ${mb(s.installedBytes)} once installed) in ${((Date.now() - started) / 1000).toFixed(1)} s.\n` +
      `Install it with: code --install-extension ${relative(process.cwd(), s.file) || s.file}   (linux-x64)`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(describeError(err));
    process.exit(1);
  },
);
