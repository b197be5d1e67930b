import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRecipe, readRecipe } from '../../../../models/recipe/index';
import { runCli } from '../../../helpers/cli';

describe('medigen init / medigen run --dry-run', () => {
  let dir: string;
  const saved = process.env.ACI_BENCH_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-recipe-'));
    delete process.env.ACI_BENCH_DIR;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.ACI_BENCH_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('init writes a commented recipe with the study setup that run reads back, and refuses to overwrite', async () => {
    const file = join(dir, 'recipe.json');
    let r = await runCli(['init', '--out', file]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\/\/ MediGen Lab recipe/);
    assert.match(text, /\/\/ QLoRA as in the study/);
    assert.deepEqual(readRecipe(file), { ...defaultRecipe(), data: { ...defaultRecipe().data, corpus: '' } });
    r = await runCli(['init', '--out', file]);
    assert.equal(r.code, 1);
  });

  it('--dry-run lists every stage it would run and writes nothing; an unknown setting is named', async () => {
    const file = join(dir, 'recipe.json');
    await runCli(['init', '--out', file]);
    let r = await runCli(['run', file, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    for (const s of ['data', 'instructions', 'train', 'convert', 'generate-base', 'generate-adapter', 'evaluate', 'report']) assert.match(r.stdout, new RegExp(`\\] ${s}: would `));
    assert.match(r.stdout, /3-encounter synthetic sample/);
    assert.match(r.stdout, /Dry run: nothing was changed\./);
    assert.ok(!existsSync(join(dir, 'medigen-study')));
    writeFileSync(file, JSON.stringify({ version: 1, generation: { maxTokns: 5 } }));
    r = await runCli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /settings MediGen Lab does not know: generation\.maxTokns/);
  });
});
