import assert from 'node:assert/strict';
import { importPackage } from '../../../core/index';

type Hooked = { __medigenImportPackage?: (name: string) => Promise<unknown> };

describe('importPackage (run-time packages, through the extension entry where it runs)', () => {
  afterEach(() => delete (globalThis as Hooked).__medigenImportPackage);

  it('imports the package itself where no entry hands it an import()', async () => {
    const fflate = await importPackage<typeof import('fflate')>('fflate');
    assert.equal(typeof fflate.zipSync, 'function');
  });

  it("uses the extension entry's import() when there is one (code run from V8's cache cannot import())", async () => {
    const asked: string[] = [];
    (globalThis as Hooked).__medigenImportPackage = (name) => {
      asked.push(name);
      return import(name);
    };
    const fflate = await importPackage<typeof import('fflate')>('fflate');
    assert.equal(typeof fflate.unzipSync, 'function');
    assert.deepEqual(asked, ['fflate']);
  });
});
