import assert from 'node:assert/strict';
import { runCli } from '../../helpers/cli';

describe('medigen CLI', () => {
  it('prints an overview with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: medigen <command>/);
  });

  it('exits 2 with a hint on an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"frobnicate" is not a medigen command/);
    assert.match(r.stderr, /medigen --help/);
  });
});
