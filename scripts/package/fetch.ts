/**
 * Native packages of other platforms, from the npm registry (`npm pack`, the only network the
 * packager needs), unpacked once into `.cache/platform-packages/<name>@<version>/` and reused
 * from there, offline too. The version and integrity come from package-lock.json, so a .vsix for
 * another platform carries exactly what `npm install` would have put there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Target } from './targets';

/** Where fetched packages are kept (ignored by git: .cache/). */
export const platformCacheDir = (root: string) => join(root, '.cache', 'platform-packages');

/** npm could not find `name@version` on the registry (as opposed to: no network). */
export class NotOnRegistryError extends MedigenError {
  static override readonly kind: string = 'NotOnRegistryError';
}

const folderName = (name: string, version: string) => `${name.replace('/', '+')}@${version}`;

function npm(args: string[], cwd: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32', timeout: 300_000 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * The unpacked folder of `name@version`: from the cache, else downloaded with `npm pack` (npm's
 * own cache first: --prefer-offline). With `integrity` (package-lock.json's), a download that
 * differs is refused.
 */
export function fetchPackage(root: string, name: string, version: string, integrity?: string): string {
  const cache = platformCacheDir(root);
  const dir = join(cache, folderName(name, version));
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, '.fetch-'));
  try {
    const r = npm(['pack', `${name}@${version}`, '--pack-destination', tmp, '--json', '--prefer-offline', '--loglevel', 'error'], tmp);
    if (!r.ok) {
      const all = `${r.out}\n${r.err}`;
      const why =
        /"summary":\s*"([^"]+)"/.exec(all)?.[1] ??
        (all.split('\n').filter((l) => /npm error/.test(l) && !/complete log/.test(l)).slice(0, 3).join(' ').replace(/npm error\s*/g, '').trim() || 'no reason given');
      if (/E404|ETARGET|No match(ing)? (found|version)/i.test(all)) throw new NotOnRegistryError(`${name}@${version} is not on the npm registry (${why}).`, 'Package for the platforms that have it, or update the dependency to a version published for every platform.');
      throw new MedigenError(
        `Could not download ${name}@${version} from the npm registry: ${why}`,
        `The .vsix for another platform needs that platform's binaries, downloaded once into ${cache}. Connect to the npm registry and package again, or package for this computer only (--target ${process.platform}-${process.arch}), which downloads nothing.`,
      );
    }
    const info = (JSON.parse(r.out) as { filename: string; integrity: string }[])[0]!;
    if (integrity && info.integrity !== integrity) {
      throw new MedigenError(`${name}@${version} from the registry does not match package-lock.json (integrity ${info.integrity}, expected ${integrity}).`, 'Do not package with it: check the registry setting (npm config get registry), then try again.');
    }
    const untar = spawnSync('tar', ['-xzf', info.filename], { cwd: tmp, encoding: 'utf8' });
    if (untar.status !== 0) throw new MedigenError(`Could not unpack ${info.filename}: ${untar.stderr}`, 'Check that "tar" works on this computer, then package again.');
    renameSync(join(tmp, 'package'), dir);
    return dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const versionKey = (v: string) => v.split(/[.-]/).slice(0, 3).map((n) => n.padStart(6, '0')).join('.');

/**
 * node-llama-cpp and its prebuilt binary for `target`, as substitutes for the installed ones
 * (name → unpacked folder), and a note when the .vsix cannot ship the installed version.
 *
 * node-llama-cpp loads only a binary package of its own version. When the registry has no binary
 * of the installed version for the target (node-llama-cpp 3.22.1 was published for Linux only),
 * the .vsix ships node-llama-cpp at the newest version that has one, its JavaScript and binary
 * together (its dependencies are the same packages). Nothing is substituted when the binary is
 * installed here (this computer's platform).
 */
export function llamaForTarget(root: string, target: Target): { substitutes: Map<string, string>; note?: string } {
  const installed = JSON.parse(readFileSync(join(root, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')) as { version: string };
  const bin = target.llamaBinary;
  const local = join(root, 'node_modules', bin, 'package.json');
  if (existsSync(local) && (JSON.parse(readFileSync(local, 'utf8')) as { version: string }).version === installed.version) return { substitutes: new Map() };
  try {
    return { substitutes: new Map([[bin, fetchPackage(root, bin, installed.version)]]) };
  } catch (err) {
    if (!(err instanceof NotOnRegistryError)) throw err;
  }
  const major = installed.version.split('.')[0];
  const cache = platformCacheDir(root);
  const view = npm(['view', bin, 'versions', '--json', '--prefer-offline'], root);
  let versions: string[] = [];
  if (view.ok) versions = ([] as string[]).concat(JSON.parse(view.out) as string[] | string);
  else if (existsSync(cache)) versions = readdirSync(cache).filter((f) => f.startsWith(`${folderName(bin, '')}`)).map((f) => f.slice(folderName(bin, '').length)); // offline: what was fetched before
  const usable = versions.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.split('.')[0] === major && versionKey(v) < versionKey(installed.version)).sort((a, b) => versionKey(b).localeCompare(versionKey(a)));
  const version = usable[0];
  if (!version) {
    throw new MedigenError(`node-llama-cpp ${installed.version} has no ${target.name} binary (${bin}) on the npm registry, and no older ${major}.x release has one either${view.ok ? '' : ' (the registry could not be asked)'}.`, `Package for another platform, or connect to the npm registry and try again.`);
  }
  return {
    substitutes: new Map([
      [bin, fetchPackage(root, bin, version)],
      ['node-llama-cpp', fetchPackage(root, 'node-llama-cpp', version)],
    ]),
    note: `node-llama-cpp ${installed.version} has no ${target.name} binary on the npm registry: this .vsix ships node-llama-cpp ${version} (JavaScript and binary), the newest release that has one.`,
  };
}
