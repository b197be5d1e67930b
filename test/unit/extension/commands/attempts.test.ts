import assert from 'node:assert/strict';
import { attemptRow, filesText } from '../../../../extension/commands/attempts';

const base = { hash: '0123456789abcdef0123456789abcdef01234567', date: '2026-12-01T23:05:00Z', files: ['turns.ts'] };
const row = (c: Partial<Parameters<typeof attemptRow>[0]>) => attemptRow({ ...base, message: 'Check m/e', reason: 'check', ...c }, { locale: 'en-GB', timeZone: 'UTC' });

describe('restore list rows', () => {
  it('say when, how the check ended and what changed', () => {
    const passed = row({ result: { status: 'passed', passed: 4, total: 4 } });
    assert.equal(passed.label, '$(pass) Check: passed, 4 of 4 checks');
    assert.equal(passed.description, '1 Dec 2026, 23:05');
    assert.equal(passed.detail, 'Changed: turns.ts · checkpoint 01234567');
    assert.equal(row({ result: { status: 'failed', passed: 1, total: 4 } }).label, '$(error) Check: failed, 1 of 4 checks pass');
    assert.equal(row({ result: { status: 'timeout', passed: 0, total: 4 } }).label, '$(error) Check: failed, 0 of 4 checks pass (stopped: too slow)');
    assert.equal(row({}).label, '$(history) Check (no result: the run was stopped)');
  });

  it('name resets, restores and starts in the student\'s words', () => {
    assert.equal(row({ reason: 'reset', message: 'Before reset of m/e' }).label, '$(history) Your files before a reset');
    assert.equal(row({ reason: 'reset', message: 'Reset exercise m/e to its starter files', result: { status: 'failed', passed: 0, total: 3 } }).label, '$(error) The starter files after a reset: failed, 0 of 3 checks pass');
    assert.equal(row({ reason: 'restore', message: 'Before restoring m/e to 0123abcd' }).label, '$(history) Your files before a restore');
    assert.equal(row({ reason: 'restore', message: 'Restore m/e to attempt 0123abcd' }).label, '$(history) Restored attempt 0123abcd');
    assert.equal(row({ reason: 'start', message: 'Start exercise m/e' }).label, '$(history) Started (the starter files)');
    assert.equal(row({ reason: 'internal', message: 'Install module m 1.0.0', result: { status: 'failed', passed: 0, total: 2 } }).label, '$(error) The starter files (as installed): failed, 0 of 2 checks pass');
  });

  it('list at most four changed files', () => {
    assert.equal(filesText([]), 'no file changed');
    assert.equal(filesText(['a', 'b', 'c', 'd', 'e', 'f']), 'a, b, c, d and 2 more');
  });
});
