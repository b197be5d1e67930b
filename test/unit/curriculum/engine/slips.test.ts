import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { slipsIn, slipsInFolder } from '../../../../curriculum/engine';
import { tempDir } from './helpers';

const at = (source: string) => slipsIn(source).map((s) => [s.line, s.column, s.code]);

describe('slips: a single = where a comparison was meant', () => {
  it('finds it in an if or while condition and in what a filter/find/some/every callback gives back', () => {
    assert.deepEqual(at('const d = [];\nfor (const s of all) {\n  if (s.supported = false) d.push(s);\n}'), [[3, 19, 'if (s.supported = false)']]);
    assert.deepEqual(at("const u = notes.filter((n) => n.rating = 'usable-as-is');"), [[1, 40, "filter((n) => n.rating = 'usable-as-is')"]]);
    assert.deepEqual(at("const r = items.find((d: Detail) => d.kind = 'side');"), [[1, 44, "find((d: Detail) => d.kind = 'side')"]]);
    assert.deepEqual(at('while (left = 0) left--;'), [[1, 13, 'while (left = 0)']]);
    assert.deepEqual(at('if (counts[k] = undefined) {}'), [[1, 15, 'if (counts[k] = undefined)']]);
    // Inside an if, once, not twice.
    assert.deepEqual(at('if (list.some(x => x.a = 1)) {}'), [[1, 24, 'if (list.some(x => x.a = 1))']]);
    const [slip] = slipsIn('if (s.supported = false) {}');
    assert.match(slip!.advice, /^A single = puts a new value into s\.supported; it does not compare\..* write ===/);
  });

  it('leaves comparisons, assignments outside conditions, strings, comments and meant assignments alone', () => {
    for (const ok of [
      "const u = notes.filter((n) => n.rating === 'usable-as-is');",
      'if (a === b || c <= d || e >= f || g != h || i == j || k !== l) {}',
      'if (x) { y = 2; }',
      'for (let i = 0; i < n; i++) total += i;',
      "// if (a = b)\nconst t = 'if (a = b)';\nconst u = `while (c = d)`;\n/* notes.filter(n => n.x = 1) */",
      'while ((m = re.exec(s)) !== null) found.push(m);',
      'const f = items.map((x) => x.a = 1);',
      "const g = items.filter((x) => { x.seen = true; return x.ok; });",
      'if (items.some((x) => x.kind === kind)) count += 1;',
    ]) assert.deepEqual(slipsIn(ok), [], ok);
  });

  it('`medigen curriculum check` points at the line before the failing checks', async () => {
    const { runCli } = await import('../../../helpers/cli');
    const module = join(projectRoot(), 'curriculum', 'modules', 'is-this-note-safe');
    const solution = readFileSync(join(module, 'exercises', 'review-a-batch', 'solution', 'review.ts'), 'utf8');
    const from = "myRated.filter((n) => n.rating === 'usable-as-is')";
    assert.ok(solution.includes(from), `the solution no longer has ${from}`);
    const tmp = tempDir();
    try {
      const work = join(tmp.dir, 'w');
      mkdirSync(work);
      writeFileSync(join(work, 'review.ts'), solution.replace(from, "myRated.filter((n) => n.rating = 'usable-as-is')"));
      assert.equal(slipsInFolder(work).length, 1);
      const r = await runCli(['curriculum', 'check', module, 'review-a-batch', work]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /Your code counted every note as usable as is: compare with ===/);
      assert.match(r.stdout, /^ {2}! review\.ts, line \d+: filter\(\(n\) => n\.rating = 'usable-as-is'\)\n {4}A single = gives n\.rating a new value instead of comparing it, for every item/);
      // The slip comes before the failures it causes.
      assert.ok(r.stdout.indexOf('  ! review.ts') < r.stdout.indexOf('  ✗ '), r.stdout);
      // A passing run says nothing of the kind.
      writeFileSync(join(work, 'review.ts'), solution);
      const ok = await runCli(['curriculum', 'check', module, 'review-a-batch', work]);
      assert.equal(ok.code, 0, ok.stdout);
      assert.doesNotMatch(ok.stdout, / ! /);
      // After a pass: what comes next (here the end of the module).
      assert.match(ok.stdout, /Well done!\n(Next: .*medigen curriculum check \S+ \S+|That was the last exercise of Is this note safe\?\.)\n$/);
      // A slip in code the checks do not catch still gets its line, after the pass.
      writeFileSync(join(work, 'review.ts'), `${solution}\nexport function unused(n: { rating?: string }) {\n  if (n.rating = 'unusable') return 1;\n  return 0;\n}\n`);
      const passed = await runCli(['curriculum', 'check', module, 'review-a-batch', work]);
      assert.equal(passed.code, 0, passed.stdout);
      assert.match(passed.stdout, / {2}! review\.ts, line \d+: if \(n\.rating = 'unusable'\)/);
      assert.match(passed.stdout, /All 4 checks pass\. Well done! Still, look at the line marked ! at the top: it does not change these checks' results, but it is not what you meant\./);
    } finally {
      tmp.cleanup();
    }
  });
});
