import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../datasets/index';
import { runCli } from '../../helpers/cli';
import { ACI_DATA, ACI_ROOT, FIXTURES, requireCorpus } from './helpers';
import { writeTinyTokenizer } from './tinyTokenizer';

describe('medigen data (CLI)', () => {
  let dir: string;
  let saved: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-data-cli-'));
    // No-argument runs must use the shipped sample, whatever the environment says.
    saved = process.env.ACI_BENCH_DIR;
    delete process.env.ACI_BENCH_DIR;
    requireCorpus();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved !== undefined) process.env.ACI_BENCH_DIR = saved;
  });

  it('lists the data commands in the overview and has --help for each', async () => {
    const r = await runCli(['--help']);
    for (const c of ['validate', 'preprocess', 'sections', 'stats', 'export']) {
      assert.match(r.stdout, new RegExp(`data ${c}`));
      const h = await runCli(['data', c, '--help']);
      assert.equal(h.code, 0);
      assert.match(h.stdout, new RegExp(`Usage: medigen data ${c}`));
    }
  });

  it('validate: exit 0 on the sample and the real corpus, exit 1 with grouped problems on a broken file', async () => {
    const ok = await runCli(['data', 'validate']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /train \(.*train\.csv\): 3 rows — OK/);
    const real = await runCli(['data', 'validate', '--corpus', ACI_ROOT]);
    assert.equal(real.code, 0);
    assert.match(real.stdout, /test3 .*: 40 rows — OK\n/);
    assert.match(real.stdout, /No errors \(9 warnings: worth a look, nothing blocks you\)/);
    const bad = await runCli(['data', 'validate', join(FIXTURES, 'duplicate-ids.csv'), '--json']);
    assert.equal(bad.code, 1);
    const json = JSON.parse(bad.stdout) as { errors: number; problems: { code: string; line: number }[] }[];
    assert.deepEqual(json[0]!.problems.map((p) => [p.code, p.line]), [['duplicate-id', 6]]);
    const usage = await runCli(['data', 'validate', '--nope']);
    assert.equal(usage.code, 2);
  });

  it('preprocess: lists steps, shows before/after, writes a CSV that validates', async () => {
    const l = await runCli(['data', 'preprocess', '--list', '--enable', 'joinSplitContractions']);
    assert.match(l.stdout, /\[on \] fixAsrPunctuationSpacing/);
    assert.match(l.stdout, /\[on \] joinSplitContractions/);
    assert.match(l.stdout, /\[off\] dropEmptyLines/);
    const show = await runCli(['data', 'preprocess', 'train', '--show', 'SYN001']);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /before: \[doctor\] hi , nora \. how are you doing today \?\n\s+after: {2}\[doctor\] hi, nora\. how are you doing today\?/);
    const out = join(dir, 'train.clean.csv');
    const w = await runCli(['data', 'preprocess', 'train', '--corpus', ACI_DATA, '--out', out]);
    assert.equal(w.code, 0, w.stderr);
    const t = parseCsv(readFileSync(out), out);
    assert.equal(t.rows.length, 67);
    assert.doesNotMatch(t.rows[0]!.cells[2]!, / , /);
    assert.equal((await runCli(['data', 'validate', out])).code, 0);
    const bad = await runCli(['data', 'preprocess', '--skip', 'spaces']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"spaces" is not a preprocessing step/);
    const missing = await runCli(['data', 'preprocess', '--show', 'D2N999']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no encounter "D2N999" in train/);
  });

  it('sections: shows a division and measures the agreement', async () => {
    const s = await runCli(['data', 'sections', '--show', 'SYN002']);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /== assessment_and_plan \(characters \d+-\d+\)\n {3}ASSESSMENT AND PLAN/);
    const a = await runCli(['data', 'sections', '--agreement', '--corpus', ACI_ROOT]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /train \+ valid, 87 notes/);
    const none = await runCli(['data', 'sections', '--agreement']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /What to do: Point --corpus at a clone of ACI-BENCH/);
  });

  it('stats: the sample by default, the real train split with a tokenizer, and JSON', async () => {
    const s = await runCli(['data', 'stats']);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /^test3\s+2\s/m);
    const tok = writeTinyTokenizer(join(dir, 'tiny'));
    const r = await runCli(['data', 'stats', '--split', 'train', '--corpus', ACI_DATA, '--tokenizer', tok, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { split: string; encounters: number; dialogueTokens: { mean: number } }[];
    assert.deepEqual(j.map((x) => [x.split, x.encounters]), [['train', 67]]);
    assert.ok(j[0]!.dialogueTokens.mean > 0);
    const bad = await runCli(['data', 'stats', '--tokenizer', join(dir, 'nothing')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /does not exist/);
  });

  it('export: JSONL and chat files, templates, and the truncation report', async () => {
    const out = join(dir, 'train.jsonl');
    const r = await runCli(['data', 'export', '--split', 'train', '--corpus', ACI_DATA, '--max-tokens', '2048', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 67);
    assert.deepEqual(Object.keys(JSON.parse(lines[0]!) as object), ['instruction', 'input', 'output']);
    assert.match(r.stdout, /examples exceed the budget and would be truncated/);
    const tpl = join(dir, 'prompt.txt');
    writeFileSync(tpl, 'Write a SOAP note for this visit:\n{{dialogue}}');
    const c = await runCli(['data', 'export', '--format', 'chat', '--template', tpl]);
    assert.equal(c.code, 0, c.stderr);
    const chat = c.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    assert.equal(chat.length, 3);
    assert.match(chat[0]!.messages[1]!.content, /^Write a SOAP note for this visit:\n\[doctor\] hi , nora \./);
    assert.match(c.stderr, /Every example fits the budget/);
    assert.equal((await runCli(['data', 'export', '--format', 'csv'])).code, 2);
    assert.equal((await runCli(['data', 'export', '--max-tokens', 'lots'])).code, 2);
    assert.ok(!existsSync(join(dir, 'nothing.jsonl')));
  });
});
