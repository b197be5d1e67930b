import assert from 'node:assert/strict';
import { CancelledError, MedigenError, RemoteHttpError, UsageError, describeError } from '../../../core/index';
import { GgufError } from '../../../models/gguf/index';

describe('named errors', () => {
  it('tell their kinds apart with instanceof, a subclass being its parent too', () => {
    const usage = new UsageError('bad flag');
    assert.ok(usage instanceof UsageError && usage instanceof MedigenError && usage instanceof Error);
    assert.ok(!(usage instanceof CancelledError) && !(usage instanceof RemoteHttpError) && !(usage instanceof GgufError));
    const plain = new MedigenError('m', 'h');
    assert.ok(plain instanceof MedigenError && !(plain instanceof UsageError));
    const http = new RemoteHttpError(401, 'refused', 'set a key');
    assert.equal(http.status, 401);
    assert.ok(http instanceof RemoteHttpError && http instanceof MedigenError && !(http instanceof UsageError));
    assert.ok(!(new Error('x') instanceof MedigenError) && !((null as unknown as object) instanceof MedigenError) && !({} instanceof MedigenError));
    assert.equal(describeError(new CancelledError('Stopped.')), 'Stopped.\n  What to do: Start it again when you are ready.');
  });

  it('are recognised across two loaded copies of core/errors.ts (tsx loads a static and a dynamic import separately)', async () => {
    const copy = (await import(`../../../core/errors.ts?copy=${Date.now()}`)) as typeof import('../../../core/errors');
    assert.notEqual(copy.MedigenError, MedigenError, 'the test needs a second copy of the module');
    const fromCopy = new copy.UsageError('from the other copy');
    assert.ok(fromCopy instanceof UsageError && fromCopy instanceof MedigenError);
    assert.ok(!(fromCopy instanceof CancelledError));
    assert.ok(new UsageError('here') instanceof copy.MedigenError);
    assert.match(describeError(new copy.MedigenError('m', 'do this')), /What to do: do this/);
  });
});
