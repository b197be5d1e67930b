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
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The runner puts the student's folder in MEDIGEN_EXERCISE_DIR. Import the student's file in a
// before() hook, so that a file that does not load fails each check with its line marked.
type Student = typeof import('../solution/note-length');
let student: Student;

before(async () => {
  student = (await import(pathToFileURL(join(process.env.MEDIGEN_EXERCISE_DIR ?? '.', 'note-length.ts')).href)) as Student;
});

describe('note-length', () => {
  // Name the student's function in each title: when an assertion fails, the editor marks it.
  it('noteLength counts the words of a short note', () => {
    assert.equal(student.noteLength('CHIEF COMPLAINT\\n\\nKnee pain.'), 4);
  });

  it('noteLength gives 0 for an empty note', () => {
    assert.equal(student.noteLength(''), 0);
  });
});
`;

/**
 * Writes a new, valid module: manifest, one lesson, one exercise with starter, solution, check,
 * hints and exercise.json. The result passes `validateModule` as it is. Returns the files written.
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
    'lessons/01-first-lesson.md': `# First lesson\n\nWrite the lesson here, in Markdown. Link to an exercise like this:\n\n[Try it: how long is a note?](exercise:note-length)\n`,
    'exercises/note-length/starter/note-length.ts': STARTER,
    'exercises/note-length/solution/note-length.ts': SOLUTION,
    'exercises/note-length/checks/note-length.test.ts': CHECK,
    'exercises/note-length/hints.md': 'Split the note into words with `note.split(/\\s+/)`.\n---\nSome pieces are empty strings: keep the others with `.filter((word) => word.length > 0)` and return `.length`.\n',
    'exercises/note-length/exercise.json': `${JSON.stringify({ entry: 'note-length.ts', timeLimitMs: 5000 }, null, 2)}\n`,
    'README.md': `# ${title}\n\nA MediGen Lab curriculum module. Check it with \`medigen curriculum validate .\` before every release,\nraise "version" in ${MANIFEST_FILE}, and tag the commit (e.g. \`git tag v0.1.0\`).\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return Object.keys(files);
}
