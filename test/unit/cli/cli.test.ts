import assert from 'node:assert/strict';
import { runCli } from '../../helpers/cli';

describe('medigen CLI', () => {
  it('prints an overview with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: medigen <command>/);
    // Each command once (init and run come from one group, loaded for both words).
    const names = r.stdout.split('\n').flatMap((l) => /^ {2}(\S+(?: [a-z-]+)?) {2,}/.exec(l)?.[1] ?? []);
    assert.ok(names.includes('init') && names.includes('run') && names.includes('data validate'), names.join(', '));
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], 'no command listed twice');
  });

  it('exits 2 with a hint on an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"frobnicate" is not a medigen command/);
    assert.match(r.stderr, /medigen --help/);
  });

  it("lists a group's commands for `medigen curriculum --help`, and calls an unknown one in it what it is", async () => {
    const help = await runCli(['curriculum', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, /^The "curriculum" commands/);
    assert.match(help.stdout, /medigen curriculum check +Run an exercise's checks/);
    const wrong = await runCli(['curriculum', 'frobnicate']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /"medigen curriculum frobnicate" is not a command/);
  });
});
