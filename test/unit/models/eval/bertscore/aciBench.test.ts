import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bertScore, releaseBertScoreModel } from '../../../../../models/eval/index';
import { makeTinyEncoder } from '../../../../../models/tiny/index';
import { test2Pairs } from './test2Pairs';

describe('bertScore on the real ACI-BENCH test2 notes (tiny encoder)', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-bertscore-aci-'));
  });
  after(async () => {
    await releaseBertScoreModel();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('scores the 40 BioBART predictions against the gold notes; gold against itself scores 1', async function () {
    this.timeout(300_000); // 80 long texts; the 2-core CI machine may be busy.
    const model = makeTinyEncoder(join(tmp, 'model'), { seed: 1 }).dir;
    const { refs, cands } = test2Pairs();
    assert.equal(refs.length, 40);
    // One call: the 40 prediction pairs, then each gold note against itself (texts are embedded once).
    const s = await bertScore([...refs, ...refs], [...cands, ...refs], { modelDir: model });
    assert.equal(s.f1.length, 80);
    for (const key of ['precision', 'recall', 'f1'] as const) {
      s[key].slice(0, 40).forEach((x, i) => assert.ok(Number.isFinite(x) && x > -1 && x < 1, `${key}[${i}] = ${x}`));
      s[key].slice(40).forEach((x, i) => assert.ok(Math.abs(x - 1) < 1e-6, `${key} of gold note ${i} against itself: ${x}`));
    }
  });
});
