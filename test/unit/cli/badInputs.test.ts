/**
 * The bad-input corpus: every kind of broken input a student can hand `medigen`, each run through
 * the real built CLI (dist/cli.mjs, `npm run build` first) as a subprocess. Each case asserts the
 * exit code, a message that names the file, a "What to do" line, no "looks like a bug", and that
 * no file the user had changed (SHA-256 of every file in the folder before and after).
 * The files are made at test time in a temporary folder (the corpus is the `files` table below).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { ensureTinyModels } from '../../../models/tiny/index';

const sample = (name: string) => readFileSync(join(projectRoot(), 'datasets', 'sample', name));
const CLI = join(projectRoot(), 'dist', 'cli.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI asynchronously (a server in this process must keep answering), optionally as another user. */
function medigen(args: string[], cwd: string, asUser?: string): Promise<Run> {
  const [cmd, argv] = asUser ? ['runuser', ['-u', asUser, '--', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  return new Promise((done) => {
    execFile(cmd, argv as string[], { cwd, env: { ...process.env, ACI_BENCH_DIR: '', MEDIGEN_DEBUG: '' }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** SHA-256 of every file under `dir` (links and folders by what they are), keyed by path. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isSymbolicLink()) out.set(p, 'link');
      else {
        try {
          out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
        } catch {
          out.set(p, 'unreadable');
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** Who can play a user without read permission: root ignores permissions, so the check runs as "nobody". */
function unprivilegedUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0 ? 'nobody' : undefined;
}

describe('bad-input corpus through the real CLI (dist/cli.mjs): a clear message, the right exit code, no input changed', function () {
  this.timeout(180_000);
  let d: string;
  let server: Server;
  let garbageUrl: string;
  let tiny: { model: string; lora: string };
  const p = (name: string) => join(d, name);

  before(async () => {
    d = mkdtempSync(join(tmpdir(), 'medigen-bad-'));
    chmodSync(d, 0o755);
    const ok = sample('valid.csv');
    const text = ok.toString('utf8');
    const files: Record<string, string | Buffer> = {
      'in.csv': ok,
      'in_metadata.csv': sample('valid_metadata.csv'),
      'pred.csv': ok,
      'bom-crlf.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]),
      'latin1.csv': Buffer.from(Buffer.from(text.replace('doctor', 'd\u0000ctor')).map((b) => (b === 0 ? 0xe9 : b))), // one é as a Latin-1 byte
      'renamed.csv': text.replace('dialogue', 'conversation'),
      'empty.csv': '',
      'header-only.csv': 'dataset,encounter_id,dialogue,note\n',
      'unclosed.csv': 'dataset,encounter_id,dialogue,note\nvirtassist,X1,"[doctor] hi, how are you\n',
      'tabs.csv': text.replace(/,/g, '\t'),
      'semicolons.csv': 'dataset;encounter_id;dialogue;note\nvirtassist;X1;[doctor] hi;note\n',
      'json.csv': JSON.stringify({ data: [{ src: '[doctor] hi', tgt: 'note', file: 'X1-virtassist' }] }),
      'page.csv': '<!DOCTYPE html><html><body>Sign in</body></html>\n',
      'nul.csv': Buffer.concat([Buffer.from('dataset,encounter_id,dialogue,note\n'), Buffer.alloc(64, 0), Buffer.from('\n')]),
      'binary.csv': Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919 + 13) % 256)),
      'huge-line.csv': `dataset,encounter_id,dialogue,note\nvirtassist,H1,"[doctor] ${'the cough is better today '.repeat(200_000)}",note\n`,
      'notes.gguf': ok,
      'noread.csv': ok,
      'config.txt': 'not a folder',
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(p(name), body);
    chmodSync(p('noread.csv'), 0o000);
    mkdirSync(p('folder'));
    symlinkSync(p('does-not-exist.csv'), p('dangling.csv'));
    symlinkSync(p('in.csv'), p('link-to-in.csv'));
    mkdirSync(p('runs/broken'), { recursive: true });
    writeFileSync(p('runs/broken/config.json'), '{"name": "broken", "lora": {');
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy login</html>');
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    garbageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    tiny = await ensureTinyModels();
  });
  after(async () => {
    await new Promise<void>((closed) => server.close(() => closed()));
    rmSync(d, { recursive: true, force: true });
  });

  interface Case {
    name: string;
    args: () => string[];
    code: number;
    /** What the message must contain: the file it is about, and the words that say what happened. */
    names: () => string;
    says: RegExp;
    asUser?: 'unprivileged';
  }

  const failing: Case[] = [
    // unreadable, folder, missing, dangling link
    { name: 'a file without read permission (data stats)', args: () => ['data', 'stats', '--split', p('noread.csv')], code: 1, names: () => p('noread.csv'), says: /may not read.*permission denied/, asUser: 'unprivileged' },
    { name: 'a file without read permission (eval --pred)', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('noread.csv')], code: 1, names: () => p('noread.csv'), says: /may not read/, asUser: 'unprivileged' },
    { name: 'a folder where a data file is expected', args: () => ['data', 'stats', '--split', p('folder')], code: 1, names: () => p('folder'), says: /is a folder, not a file/ },
    { name: 'a folder passed as --pred', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('folder')], code: 1, names: () => p('folder'), says: /is a folder, not a file/ },
    { name: 'a folder passed to data validate', args: () => ['data', 'validate', p('folder')], code: 1, names: () => p('folder'), says: /is a folder/ },
    { name: 'a folder passed to data preprocess', args: () => ['data', 'preprocess', p('folder')], code: 1, names: () => p('folder'), says: /is a folder/ },
    { name: 'a missing --pred file', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('nothere.csv')], code: 1, names: () => p('nothere.csv'), says: /does not exist/ },
    { name: 'a dangling symlink as the data file', args: () => ['data', 'stats', '--split', p('dangling.csv')], code: 1, names: () => p('dangling.csv'), says: /is a link to .*does-not-exist\.csv, which does not exist/ },
    { name: 'a dangling symlink as --pred', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('dangling.csv')], code: 1, names: () => p('dangling.csv'), says: /link .*which does not exist/ },
    { name: 'a file given as --corpus folder', args: () => ['data', 'stats', '--corpus', p('config.txt')], code: 1, names: () => p('config.txt'), says: /is a file, not a folder/ },
    { name: 'a missing --template file', args: () => ['data', 'export', '--split', p('in.csv'), '--template', p('nothere.txt'), '--out', p('out.jsonl')], code: 1, names: () => p('nothere.txt'), says: /template file .* does not exist/ },
    // contents that are not what the name says
    { name: 'a renamed column', args: () => ['data', 'stats', '--split', p('renamed.csv')], code: 1, names: () => 'renamed.csv', says: /Column "dialogue" is missing/ },
    { name: 'an empty file', args: () => ['data', 'stats', '--split', p('empty.csv')], code: 1, names: () => 'empty.csv', says: /file is empty/ },
    { name: 'a header and no rows', args: () => ['data', 'stats', '--split', p('header-only.csv')], code: 1, names: () => 'header-only.csv', says: /no encounters/ },
    { name: 'an unclosed quote', args: () => ['data', 'stats', '--split', p('unclosed.csv')], code: 1, names: () => 'unclosed.csv', says: /never closed/ },
    { name: 'a TSV named .csv', args: () => ['data', 'stats', '--split', p('tabs.csv')], code: 1, names: () => 'tabs.csv', says: /tab-separated \(TSV\)/ },
    { name: 'a semicolon CSV', args: () => ['data', 'stats', '--split', p('semicolons.csv')], code: 1, names: () => 'semicolons.csv', says: /separated by semicolons/ },
    { name: 'JSON named .csv', args: () => ['data', 'stats', '--split', p('json.csv')], code: 1, names: () => 'json.csv', says: /holds JSON, not comma-separated/ },
    { name: 'a web page named .csv', args: () => ['data', 'stats', '--split', p('page.csv')], code: 1, names: () => 'page.csv', says: /web page/ },
    { name: 'NUL bytes in a data file', args: () => ['data', 'stats', '--split', p('nul.csv')], code: 1, names: () => 'nul.csv', says: /cannot be trusted/ },
    { name: 'a binary file named .csv', args: () => ['data', 'stats', '--split', p('binary.csv')], code: 1, names: () => 'binary.csv', says: /cannot be trusted/ },
    { name: 'a TSV as --pred', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('tabs.csv')], code: 1, names: () => p('tabs.csv'), says: /no "note" column/ },
    { name: 'a CSV passed as a model (wrong extension)', args: () => ['models', 'info', p('notes.gguf')], code: 1, names: () => p('notes.gguf'), says: /GGUF|gguf/ },
    { name: 'a garbage config.json in a runs folder', args: () => ['train', 'runs', '--runs-dir', p('runs')], code: 1, names: () => p('runs/broken/config.json'), says: /not valid JSON/ },
    // outputs that are inputs
    { name: 'preprocess --out naming its input', args: () => ['data', 'preprocess', p('in.csv'), '--out', p('in.csv')], code: 1, names: () => p('in.csv'), says: /--out .* is the split file this command reads/ },
    { name: 'preprocess --out naming its input through a symlink', args: () => ['data', 'preprocess', p('in.csv'), '--out', p('link-to-in.csv')], code: 1, names: () => p('link-to-in.csv'), says: /would destroy your input/ },
    { name: 'preprocess --out naming the metadata read with the input', args: () => ['data', 'preprocess', p('in.csv'), '--out', `${d}/./in_metadata.csv`], code: 1, names: () => p('in_metadata.csv'), says: /metadata file this command reads/ },
    { name: 'export --out naming its input', args: () => ['data', 'export', '--split', p('in.csv'), '--out', p('in.csv')], code: 1, names: () => p('in.csv'), says: /would destroy your input/ },
    { name: 'baseline --out naming its input', args: () => ['baseline', '--split', p('in.csv'), '--method', '12-doctor-turns', '--out', p('in.csv')], code: 1, names: () => p('in.csv'), says: /would destroy your input/ },
    { name: 'eval --markdown naming --pred', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('pred.csv'), '--markdown', p('pred.csv')], code: 1, names: () => p('pred.csv'), says: /--markdown .* is the --pred file/ },
    { name: 'eval --html naming --gold through a symlink', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('pred.csv'), '--html', p('link-to-in.csv')], code: 1, names: () => p('link-to-in.csv'), says: /--gold file/ },
    { name: 'generate --out naming its split', args: () => ['generate', '--split', p('in.csv'), '--endpoint', garbageUrl, '--model', 'm', '--out', p('in.csv')], code: 1, names: () => p('in.csv'), says: /would destroy your input/ },
    { name: 'generate --out naming the model file', args: () => ['generate', '--split', p('in.csv'), '--model', tiny.model, '--out', tiny.model], code: 1, names: () => tiny.model, says: /model file this command reads/ },
    // the command line itself
    { name: 'two --pred files', args: () => ['eval', '--gold', p('in.csv'), '--pred', p('pred.csv'), '--pred', p('in.csv')], code: 2, names: () => '--pred', says: /--pred was given 2 times/ },
    { name: 'a missing --lora file', args: () => ['generate', '--split', p('in.csv'), '--model', tiny.model, '--lora', p('adapter.gguf'), '--out', p('preds.csv')], code: 1, names: () => p('adapter.gguf'), says: /LoRA adapter .* does not exist/ },
    { name: 'a malformed endpoint URL', args: () => ['generate', '--split', p('in.csv'), '--endpoint', 'http://[gpu-box/v1', '--model', 'm', '--out', p('preds.csv')], code: 1, names: () => 'http://[gpu-box/v1', says: /is not a URL/ },
    { name: 'an endpoint that answers garbage', args: () => ['generate', '--split', p('in.csv'), '--endpoint', garbageUrl, '--model', 'm', '--out', p('garbage-preds.csv')], code: 1, names: () => garbageUrl, says: /did not answer like an OpenAI-compatible server/ },
  ];

  for (const c of failing) {
    it(`${c.name} → exit ${c.code}, names the file, says what to do, changes nothing`, async function () {
      let user: string | undefined;
      if (c.asUser) {
        user = unprivilegedUser();
        if (process.getuid?.() === 0 && !user) this.skip(); // root reads anything: no way to see EACCES here
      }
      const before = snapshot(d);
      const r = await medigen(c.args(), d, user);
      const after = snapshot(d);
      assert.equal(r.code, c.code, `exit code; stderr: ${r.stderr}`);
      assert.ok(r.stderr.includes(c.names()), `the message names ${c.names()}: ${r.stderr}`);
      assert.match(r.stderr, c.says);
      assert.match(r.stderr, /What to do: \S/);
      assert.doesNotMatch(r.stderr, /looks like a bug|EACCES|EISDIR|ENOENT|Invalid URL|at .*\.(mjs|ts):\d+/);
      for (const [file, hash] of before) assert.equal(after.get(file), hash, `${file} is unchanged`);
      // A refused output=input writes nothing at all; only the generation run may leave its notes-in-progress file.
      const created = [...after.keys()].filter((f) => !before.has(f));
      assert.deepEqual(created.filter((f) => !f.endsWith('.partial.jsonl')), [], 'no new file');
    });
  }

  it('a BOM and Windows line ends are read as the same data (exit 0, same figures)', async () => {
    const plain = await medigen(['data', 'stats', '--split', p('in.csv'), '--json'], d);
    const bom = await medigen(['data', 'stats', '--split', p('bom-crlf.csv'), '--json'], d);
    assert.equal(bom.code, 0, bom.stderr);
    const figures = (s: string) => (JSON.parse(s) as { encounters: number; dialogueWords: unknown; noteWords: unknown }[]).map(({ encounters, dialogueWords, noteWords }) => ({ encounters, dialogueWords, noteWords }));
    assert.deepEqual(figures(bom.stdout), figures(plain.stdout));
  });

  it('Latin-1 bytes: the figures come with a warning naming the file and how to convert it (exit 0)', async () => {
    const r = await medigen(['data', 'stats', '--split', p('latin1.csv')], d);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warnings for latin1 \(.*latin1\.csv\)/);
    assert.match(r.stderr, /not valid UTF-8.*\n.*What to do: Save the file as UTF-8/);
  });

  it('one 5 MB line in a dialogue is counted, not choked on (exit 0)', async () => {
    const r = await medigen(['data', 'stats', '--split', p('huge-line.csv'), '--json'], d);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { dialogueWords: { max: number } }[])[0]!.dialogueWords.max, 1 + 5 * 200_000);
  });
});
