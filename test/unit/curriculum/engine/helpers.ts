import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';

/** test/fixtures/curriculum/<parts>. */
export function fixture(...parts: string[]): string {
  return join(projectRoot(), 'test', 'fixtures', 'curriculum', ...parts);
}

/** The shipped "Meet the data" module. */
export function shippedModule(): string {
  return join(projectRoot(), 'curriculum', 'modules', 'meet-the-data');
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'medigen-curriculum-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a folder into a new temporary folder (outside the repository) and returns the copy. */
export function copyToTemp(src: string, tmp: string, name = 'copy'): string {
  const to = join(tmp, name);
  cpSync(src, to, { recursive: true });
  return to;
}
