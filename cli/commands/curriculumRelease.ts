import { relative, resolve } from 'node:path';
import { UsageError } from '../../core/index';
import { commitRelease, releaseModule } from '../../curriculum/engine';
import { defineCommand, EXIT } from '../command';

/** A path relative to the current folder when it is inside it, else absolute. */
function shown(p: string): string {
  const rel = relative(process.cwd(), p);
  return !rel ? '.' : rel.startsWith('..') ? p : rel;
}

/** `medigen curriculum release`: writes the student edition of a module. */
export const release = defineCommand({
  path: ['curriculum', 'release'],
  summary: 'Write the student edition of a module (no solutions, grading checks or wrong answers)',
  usage: '<module-folder> --out <folder> [--git]',
  options: { out: { type: 'string' }, git: { type: 'boolean' } },
  help: {
    out: 'Folder for the student edition: a new or empty folder, or the folder of an earlier release of this module (only the files that release wrote are replaced). Never inside the module.',
    git: 'Also commit everything in the output folder and tag it v<version> (creates the git repository when there is none). Without it nothing is committed.',
  },
  details: `The student edition holds the manifest (marked "edition": "student"), the lessons and the files
they link, and each exercise's starter/, public checks/, hints.md and exercise.json. It leaves out
solution/, grading/ and wrong/, and every other file of the module folder (each one is listed).
Run \`medigen curriculum validate <module-folder>\` first: it checks both editions.
Example: medigen curriculum release my-module --out ../my-module-student`,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError(`Give exactly one module folder${ctx.positionals.length ? ` (got ${ctx.positionals.length})` : ''}.`, 'Example: medigen curriculum release my-module --out ../my-module-student');
    if (!ctx.values.out) throw new UsageError('Say where to write the student edition with --out <folder>.', 'Example: medigen curriculum release my-module --out ../my-module-student (a new folder outside the module).');
    const r = await releaseModule({ dir: ctx.positionals[0]!, out: resolve(ctx.values.out) });
    const m = r.module;
    ctx.out.write(`Wrote the student edition of ${m.id} ${m.version} to ${shown(r.out)}${r.replaced ? ', replacing the earlier release there' : ''}: ${r.written.length} file(s).\n`);
    for (const f of r.written) ctx.out.write(`  wrote    ${f}\n`);
    for (const f of r.removed) ctx.out.write(`  removed  ${f} (no longer part of the module)\n`);
    if (r.leftOut.length) {
      ctx.out.write('Left out (they stay in your module folder only):\n');
      for (const l of r.leftOut) ctx.out.write(`  ${l.path}  ${l.why}\n`);
    }
    const tag = `v${m.version}`;
    if (ctx.values.git) {
      const c = await commitRelease(r.out, m.id, m.version);
      ctx.out.write(`${c.initialized ? 'Created a git repository there, ' : ''}${c.committed ? `committed the edition (${c.commit.slice(0, 8)})` : 'nothing had changed since the last commit'} and tagged it ${c.tag}.\nNext: push it and the tag (git -C ${shown(r.out)} push && git -C ${shown(r.out)} push origin ${c.tag}; the first time, add the remote with \`git remote add origin <URL>\`).\n`);
    } else {
      ctx.out.write(`Nothing was committed. To publish it:\n  cd ${shown(r.out)}\n  git init            (the first time)\n  git add -A && git commit -m "Release ${m.id} ${m.version}"\n  git tag ${tag}\n  git push && git push origin ${tag}\n(or run release again with --git to commit and tag).\n`);
    }
    ctx.out.write(`Students install it with: medigen curriculum install <URL of that repository> --ref ${tag}\n`);
    return EXIT.ok;
  },
});
