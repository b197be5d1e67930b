/** The generation settings: checking, defaults (the same as package.json declares), threads, paths. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../core/index';
import { projectRoot } from '../../../../core/index';
import { DEFAULT_GENERATION_SETTINGS, effectiveThreads, GENERATION_SETTING_KEYS, normalizeSettings, resolveUserPath, usesEndpoint } from '../../../../models/generation/index';

describe('generation: settings', () => {
  it('has the defaults package.json declares, for every setting', () => {
    const props = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).contributes.configuration.properties;
    for (const k of GENERATION_SETTING_KEYS) {
      const p = props[`medigenLab.${k}`];
      assert.ok(p, `package.json does not declare medigenLab.${k}`);
      assert.deepEqual(p.default, DEFAULT_GENERATION_SETTINGS[k], `medigenLab.${k}`);
      assert.ok(p.markdownDescription || p.description, `medigenLab.${k} has no description`);
    }
    assert.deepEqual(props['medigenLab.grammar'].enum, ['soap', 'free']);
  });

  it('fills in defaults and accepts numbers given as text', () => {
    assert.deepEqual(normalizeSettings({}), DEFAULT_GENERATION_SETTINGS);
    const s = normalizeSettings({ model: '  /m.gguf ', maxTokens: '256', temperature: 0.7, grammar: 'free' });
    assert.equal(s.model, '/m.gguf');
    assert.equal(s.maxTokens, 256);
    assert.equal(s.grammar, 'free');
  });

  it('names the setting that is wrong and what it should be', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ maxTokens: 0 }, /medigenLab\.maxTokens is 0/],
      [{ maxTokens: 1.5 }, /whole number/],
      [{ temperature: -1 }, /medigenLab\.temperature/],
      [{ grammar: 'json' }, /medigenLab\.grammar is "json"/],
      [{ threads: 'many' }, /medigenLab\.threads/],
      [{ endpoint: 'ftp://box/v1' }, /medigenLab\.endpoint/],
      [{ endpoint: 'not a url' }, /medigenLab\.endpoint/],
      [{ model: 42 }, /medigenLab\.model is 42, which is not text/],
    ];
    for (const [raw, rx] of cases) {
      assert.throws(() => normalizeSettings(raw), (e: unknown) => e instanceof MedigenError && rx.test(e.message) && /settings/.test(e.hint), JSON.stringify(raw));
    }
  });

  it('always passes a deliberate thread count: the setting, else 1 on a 2-core machine', () => {
    const saved = process.env.MEDIGEN_THREADS;
    delete process.env.MEDIGEN_THREADS;
    try {
      assert.equal(effectiveThreads(3, 2), 3);
      assert.equal(effectiveThreads(0, 2), 1);
      assert.equal(effectiveThreads(0, 8), 7);
      process.env.MEDIGEN_THREADS = '2';
      assert.equal(effectiveThreads(0, 8), 2);
    } finally {
      if (saved === undefined) delete process.env.MEDIGEN_THREADS;
      else process.env.MEDIGEN_THREADS = saved;
    }
  });

  it('resolves paths from the workspace folder and the home folder, and leaves URIs alone', () => {
    assert.equal(resolveUserPath('models/a.gguf', '/work/ws'), '/work/ws/models/a.gguf');
    assert.equal(resolveUserPath('/abs/a.gguf', '/work/ws'), '/abs/a.gguf');
    assert.equal(resolveUserPath('~/m/a.gguf', '/work/ws'), join(homedir(), 'm/a.gguf'));
    assert.equal(resolveUserPath('hf:user/repo:Q4_K_M', '/work/ws'), 'hf:user/repo:Q4_K_M');
    assert.equal(resolveUserPath('', '/work/ws'), '');
    assert.equal(usesEndpoint(normalizeSettings({ endpoint: 'http://localhost:8000/v1' })), true);
    assert.equal(usesEndpoint(normalizeSettings({})), false);
  });
});
