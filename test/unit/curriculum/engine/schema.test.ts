import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonErrorPosition, readSchema, validateAgainstSchema } from '../../../../curriculum/engine';
import { shippedModule } from './helpers';

describe('curriculum JSON Schema validator', () => {
  const schema = readSchema('module.schema.json');

  it('accepts the shipped module manifest', () => {
    const manifest = JSON.parse(readFileSync(join(shippedModule(), 'medigen-module.json'), 'utf8'));
    assert.deepEqual(validateAgainstSchema(manifest, schema), []);
  });

  it('names each kind of error with its JSON path', () => {
    const errors = validateAgainstSchema(
      { id: 'ok-id', title: '', version: '1.2.3-beta.1', author: 'A', minExtensionVersion: '0.1.0', description: 'd', lessons: [{ id: 'l', title: 'L', file: 'notes/x.md', exercises: 'none' }], extra: 1 },
      schema,
    );
    assert.deepEqual(
      errors.map((e) => [e.path, e.kind]),
      [
        ['$.title', 'bad-value'],
        ['$.lessons[0].file', 'bad-value'],
        ['$.lessons[0].exercises', 'wrong-type'],
        ['$.extra', 'unknown-field'],
      ],
    );
    assert.match(errors[2]!.message, /should be an array but is a string/);
  });

  it('checks exercise.json limits', () => {
    const ex = readSchema('exercise.schema.json');
    assert.deepEqual(validateAgainstSchema({ entry: 'a.ts', timeLimitMs: 5000 }, ex), []);
    const errs = validateAgainstSchema({ entry: 'dir/a.ts', timeLimitMs: 5 }, ex);
    assert.deepEqual(errs.map((e) => e.path), ['$.entry', '$.timeLimitMs']);
    assert.match(errs[1]!.message, /below the minimum 100/);
  });

  it('finds where a JSON text breaks', () => {
    assert.equal(jsonErrorPosition('{"a": [1, 2]}'), undefined);
    assert.deepEqual(jsonErrorPosition('{\n  "a": 1,\n}'), { offset: 12, line: 3, column: 1 });
    assert.deepEqual(jsonErrorPosition('{"a": tru}'), { offset: 6, line: 1, column: 7 });
  });
});
