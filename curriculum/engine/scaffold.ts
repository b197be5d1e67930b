import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { MANIFEST_FILE } from './types';

/** Options of `scaffoldModule`. */
export interface ScaffoldOptions {
  /** The new module folder; it must not exist or be empty. */
  dir: string;
  /** Module id. Defaults to the folder name, lowercased with dashes. */
  id?: string;
  /** Module title. Defaults to the id in words ("my-module" → "My module"). */
  title?: string;
  /** Defaults to "Your name". */
  author?: string;
}

/** Turns any text into a module id: lowercase letters, digits and dashes. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'my-module';
}

const STARTER = `/**
 * How many words a clinical note has: pieces of text separated by spaces, tabs or line breaks.
 */
export function noteLength(note: string): number {
  // TODO: split the note on whitespace (/\\s+/), drop empty pieces, return how many are left.
  throw new Error(\`TODO: count the words of a note of \${note.length} characters\`);
}
`;

const SOLUTION = `/**
 * How many words a clinical note has: pieces of text separated by spaces, tabs or line breaks.
 */
export function noteLength(note: string): number {
  return note.split(/\\s+/).filter((word) => word.length > 0).length;
}
`;

const CHECK = `import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';

// The functions the exercise asks for, declared here (the reference solution is never loaded: students
// do not have it). The student's file runs in its own process; every call is async.
interface Student {
  noteLength(note: string): number;
}
let student: Remote<Student>;

before(async () => {
  student = await loadStudent<Student>('note-length.ts');
});
after(() => student?.close());

describe('note-length', () => {
  // Name the student's function in each title: when an assertion fails, the editor marks it.
  // Say in the message what was expected, in plain words.
  it('noteLength counts the words of a short note', async () => {
    assert.equal(await student.noteLength('CHIEF COMPLAINT\\n\\nKnee pain.'), 4, 'noteLength should find 4 words in a note of two lines');
  });

  it('noteLength counts words separated by tabs and several spaces', async () => {
    assert.equal(await student.noteLength('  Follow up\\tin   two weeks .'), 6, 'noteLength should find 6 words when tabs and runs of spaces separate them');
  });

  it('noteLength gives 0 for an empty note', async () => {
    assert.equal(await student.noteLength(''), 0, 'noteLength should give 0 for an empty note');
  });
});
`;

/** Three plausible wrong answers: each one a mistake a student would make, and the checks must catch it. */
const WRONG: Record<string, { why: string; code: string }> = {
  'splits-on-spaces-only': {
    why: "Splits the note on single spaces (`note.split(' ')`), so words separated by a line break or a tab count as one.",
    code: SOLUTION.replace('note.split(/\\s+/)', "note.split(' ')"),
  },
  'keeps-empty-pieces': {
    why: 'Forgets to drop the empty pieces that splitting leaves at the start and end of a note, so an empty note has 1 word.',
    code: SOLUTION.replace('.filter((word) => word.length > 0).length', '.length'),
  },
  'counts-characters': {
    why: 'Returns the number of characters (`note.length`) instead of the number of words.',
    code: SOLUTION.replace("note.split(/\\s+/).filter((word) => word.length > 0).length", 'note.length'),
  },
};

/** Where `scaffoldModule` writes the CI workflow of the module's own repository. */
export const CI_WORKFLOW_FILE = '.github/workflows/validate.yml';

/** The command the CI workflow runs in the module's folder, with MediGen Lab built in ../medigen-lab. */
export const CI_VALIDATE_COMMAND = 'node ../medigen-lab/dist/cli.mjs curriculum validate .';

/**
 * A GitHub Actions workflow that validates the module on every push and pull request. MediGen
 * Lab's command line is not on npm (package.json is private) and the .vsix does not carry it, so
 * the workflow builds it from a MediGen Lab source checkout named by repository variables.
 */
export function ciWorkflow(): string {
  return `# Validates this MediGen Lab module on every push and pull request, with
# \`medigen curriculum validate .\`: every solution passes the public and grading checks, every starter
# and wrong answer fails them, and the student edition (what \`medigen curriculum release\` writes)
# still works without solutions.
#
# What it needs, honestly:
# - MediGen Lab's command line is not published on npm (its package.json is "private"), and the
#   .vsix that students install does not include it. So this workflow clones MediGen Lab's source
#   and builds it (npm ci, then node esbuild.mjs): a few minutes and a few hundred MB of packages,
#   including the local-model runtimes the library loads.
# - Set two repository variables (Settings > Secrets and variables > Actions > Variables):
#     MEDIGEN_LAB_REPO  the git URL of MediGen Lab's source repository (or your course's copy of it)
#     MEDIGEN_LAB_REF   the tag or branch your students' MediGen Lab was built from (default: main)
# - Linux x64 runners only (MediGen Lab's supported platform) and Node.js 20.19 or newer.
# - No secrets and no student data: the checks use made-up data and MediGen Lab's synthetic sample.
name: validate

on:
  push:
  pull_request:

jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
        with:
          path: module
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Build MediGen Lab's command line
        env:
          REPO: \${{ vars.MEDIGEN_LAB_REPO }}
          REF: \${{ vars.MEDIGEN_LAB_REF || 'main' }}
        run: |
          if [ -z "$REPO" ]; then
            echo "::error::Set the repository variable MEDIGEN_LAB_REPO to the git URL of MediGen Lab's source (see the top of this file)."
            exit 1
          fi
          git clone --depth 1 --branch "$REF" "$REPO" medigen-lab
          cd medigen-lab && npm ci && node esbuild.mjs
      - name: Validate the module (instructor and student editions)
        working-directory: module
        run: ${CI_VALIDATE_COMMAND}
`;
}

/**
 * Writes a new, valid module: manifest, one lesson, one exercise with starter, solution, checks,
 * three wrong answers (wrong/<case>/ with WHY.md), hints and exercise.json, and a CI workflow for
 * the module's own repository (`CI_WORKFLOW_FILE`). The result passes `validateModule` as it is.
 * Returns the files written.
 */
export function scaffoldModule(opts: ScaffoldOptions): string[] {
  const dir = resolve(opts.dir);
  if (existsSync(dir) && readdirSync(dir).length) {
    throw new MedigenError(`The folder ${dir} is not empty, so no module was created there.`, 'Give the path of a new (or empty) folder, e.g. `medigen curriculum new my-module`.');
  }
  const id = opts.id ?? slugify(basename(dir));
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new MedigenError(`"${id}" is not a valid module id.`, 'Use lowercase letters, digits and dashes, e.g. --id my-first-module.');
  const title = opts.title ?? `${id[0]!.toUpperCase()}${id.slice(1).replace(/-/g, ' ')}`;
  const manifest = {
    $schema: 'https://medigen-lab.local/schema/module.schema.json',
    id,
    title,
    version: '0.1.0',
    author: opts.author ?? 'Your name',
    minExtensionVersion: '0.1.0',
    description: `${title}: a MediGen Lab module. Describe what students learn here.`,
    lessons: [{ id: 'first-lesson', title: 'First lesson', file: 'lessons/01-first-lesson.md', exercises: [{ id: 'note-length', title: 'How long is a note?', dir: 'exercises/note-length' }] }],
  };
  const files: Record<string, string> = {
    [MANIFEST_FILE]: `${JSON.stringify(manifest, null, 2)}\n`,
    'lessons/01-first-lesson.md': `# First lesson\n\n**By the end of this lesson** you can count the words of a clinical note. (Say here what the student will be able to do: \`medigen curriculum validate\` warns of a lesson that does not.)\n\nWrite the lesson here, in Markdown. Link to an exercise like this:\n\n[Try it: how long is a note?](exercise:note-length)\n`,
    'exercises/note-length/starter/note-length.ts': STARTER,
    'exercises/note-length/solution/note-length.ts': SOLUTION,
    'exercises/note-length/checks/note-length.test.ts': CHECK,
    'exercises/note-length/hints.md': 'Split the note into words with `note.split(/\\s+/)`.\n---\nSome pieces are empty strings: keep the others with `.filter((word) => word.length > 0)` and return `.length`.\n',
    ...Object.fromEntries(
      Object.entries(WRONG).flatMap(([name, w]) => [
        [`exercises/note-length/wrong/${name}/note-length.ts`, w.code],
        [`exercises/note-length/wrong/${name}/WHY.md`, `${w.why}\n`],
      ]),
    ),
    'exercises/note-length/exercise.json': `${JSON.stringify({ entry: 'note-length.ts', timeLimitMs: 5000 }, null, 2)}\n`,
    'README.md': `# ${title}\n\nA MediGen Lab curriculum module (the instructor edition: it holds the solutions, wrong answers and\nany grading checks). Check it with \`medigen curriculum validate .\` before every release (${CI_WORKFLOW_FILE}\ndoes it on every push), raise "version" in ${MANIFEST_FILE}, then write the student edition with\n\`medigen curriculum release . --out ../${id}-student\`, commit it and tag it (\`git tag v0.1.0\`).\n`,
    [CI_WORKFLOW_FILE]: ciWorkflow(),
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return Object.keys(files);
}
