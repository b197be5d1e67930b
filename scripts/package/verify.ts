/**
 * Checks a written .vsix for its platform: the manifest's TargetPlatform, that platform's native
 * binaries present (node-llama-cpp's, esbuild's), and no other platform's.
 *
 *   tsx scripts/package/verify.ts FILE.vsix...      (exit 1 and the problems when one is wrong)
 */
import { execFileSync } from 'node:child_process';
import { describeError, MedigenError } from '../../core/index';
import { targetOf, TARGET_NAMES, TARGETS, type Target } from './targets';

const OS_WORDS: Record<Target['os'], string[]> = { darwin: ['darwin', 'mac'], win32: ['win32', 'win'], linux: ['linux'] };

/** The platform named by a native package folder (`@esbuild/darwin-arm64`, `@img/sharp-libvips-linux-x64`, `@node-llama-cpp/win-x64-cuda`, `@reflink/reflink-linux-x64-gnu`), or undefined for a portable one. */
export function platformOfPackage(path: string): { os: string; cpu: string; variant: string } | undefined {
  const m = /^node_modules\/(?:.*\/node_modules\/)?@(?:esbuild|img|node-llama-cpp|reflink)\/(?:sharp-(?:libvips-)?|reflink-)?(darwin|mac|win32|win|linux|linuxmusl|freebsd|openbsd|netbsd|sunos|aix|android|openharmony|wasm32)-([a-z0-9]+)(-[a-z-]+)?\//.exec(path);
  return m ? { os: m[1]!, cpu: m[2]!, variant: m[3] ?? '' } : undefined;
}

/** What is wrong with the file list (`extension/...` paths) of a .vsix for `target`: an empty list when nothing is. */
export function vsixProblems(names: string[], manifest: string, target: Target): string[] {
  const problems: string[] = [];
  if (!manifest.includes(`TargetPlatform="${target.name}"`)) problems.push(`the manifest does not say TargetPlatform="${target.name}"`);
  const paths = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  const has = (prefix: string) => paths.some((p) => p.startsWith(prefix));
  if (!has(`node_modules/${target.llamaBinary}/bins/`)) problems.push(`node-llama-cpp's binary ${target.llamaBinary} is missing`);
  const esbuildBin = target.os === 'win32' ? `node_modules/@esbuild/${target.name}/esbuild.exe` : `node_modules/@esbuild/${target.name}/bin/esbuild`;
  if (!paths.includes(esbuildBin)) problems.push(`esbuild's binary ${esbuildBin} is missing (tsx needs it to run checks)`);
  const foreign = new Set<string>();
  for (const p of paths) {
    const pf = platformOfPackage(p);
    if (pf && (!OS_WORDS[target.os].includes(pf.os) || pf.cpu !== target.cpu || !['', '-metal', '-gnu', '-msvc'].includes(pf.variant))) foreign.add(p.split('/').slice(0, 3).join('/'));
    const onnx = /^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(p);
    if (onnx && (onnx[1] !== target.os || onnx[2] !== target.cpu)) foreign.add(`onnxruntime-node ${onnx[1]}/${onnx[2]}`);
    if (p.startsWith('node_modules/node-llama-cpp/llama/addon/')) foreign.add('node-llama-cpp C++ sources');
  }
  for (const f of [...foreign].sort()) problems.push(`another platform's (or a GPU) binary is in it: ${f}`);
  return problems;
}

function unzip(args: string[]): string {
  return execFileSync('unzip', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** The problems of the .vsix `file` (its target read from its manifest). */
export function verifyVsix(file: string): { target: Target; problems: string[]; files: number } {
  const manifest = unzip(['-p', file, 'extension.vsixmanifest']);
  const name = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
  if (!name) throw new MedigenError(`${file} has no TargetPlatform in its manifest.`, 'Package it again with "npm run package -- --target T".');
  const target = targetOf(name);
  const names = unzip(['-Z1', file]).split('\n').filter(Boolean);
  return { target, problems: vsixProblems(names, manifest, target), files: names.length };
}

if (process.argv[1] && /verify\.ts$/.test(process.argv[1])) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error(`Usage: tsx scripts/package/verify.ts FILE.vsix...   (checks each against its platform: ${TARGET_NAMES.join(', ')})`);
    process.exit(2);
  }
  let bad = 0;
  for (const file of files) {
    try {
      const r = verifyVsix(file);
      if (r.problems.length) bad++;
      console.log(r.problems.length ? `${file} (${r.target.name}) is wrong:\n  ${r.problems.join('\n  ')}` : `${file}: ${r.files} entries, right for ${r.target.name} (${TARGETS[r.target.name].llamaBinary}, no other platform's binaries).`);
    } catch (err) {
      bad++;
      console.error(describeError(err));
    }
  }
  process.exit(bad ? 1 : 0);
}
