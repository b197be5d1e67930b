/**
 * The platforms MediGen Lab is packaged for: one .vsix each (VS Code picks the one that matches
 * the computer by its `TargetPlatform`), carrying only that platform's native binaries.
 */
import { MedigenError } from '../../core/index';

/** A VS Code target platform and what npm calls it. */
export interface Target {
  /** VS Code's name (`TargetPlatform` in the manifest, `--target` of `npm run package`). */
  name: TargetName;
  /** npm's `os` (process.platform). */
  os: 'darwin' | 'win32' | 'linux';
  /** npm's `cpu` (process.arch). */
  cpu: 'x64' | 'arm64';
  /** npm's `libc` on Linux (VS Code's linux-* targets are glibc; alpine-* would be musl). */
  libc?: 'glibc';
  /** node-llama-cpp's prebuilt binary package for this platform (CPU build; Metal on Apple silicon). */
  llamaBinary: string;
}

export const TARGET_NAMES = ['darwin-arm64', 'darwin-x64', 'win32-x64', 'linux-x64', 'linux-arm64'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGETS: Record<TargetName, Target> = {
  'darwin-arm64': { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64', llamaBinary: '@node-llama-cpp/mac-arm64-metal' },
  'darwin-x64': { name: 'darwin-x64', os: 'darwin', cpu: 'x64', llamaBinary: '@node-llama-cpp/mac-x64' },
  'win32-x64': { name: 'win32-x64', os: 'win32', cpu: 'x64', llamaBinary: '@node-llama-cpp/win-x64' },
  'linux-x64': { name: 'linux-x64', os: 'linux', cpu: 'x64', libc: 'glibc', llamaBinary: '@node-llama-cpp/linux-x64' },
  'linux-arm64': { name: 'linux-arm64', os: 'linux', cpu: 'arm64', libc: 'glibc', llamaBinary: '@node-llama-cpp/linux-arm64' },
};

/** The target of `name` (e.g. `win32-x64`); a MedigenError naming the valid ones otherwise. */
export function targetOf(name: string): Target {
  if ((TARGET_NAMES as readonly string[]).includes(name)) return TARGETS[name as TargetName];
  throw new MedigenError(`"${name}" is not a platform MediGen Lab is packaged for.`, `Use one of ${TARGET_NAMES.join(', ')}, or --all for all five.`);
}

/** The target of this computer, or undefined when MediGen Lab has no package for it. */
export function hostTarget(): Target | undefined {
  const name = `${process.platform}-${process.arch}`;
  return (TARGET_NAMES as readonly string[]).includes(name) ? TARGETS[name as TargetName] : undefined;
}

/** The `os`/`cpu`/`libc` fields of a package.json. */
export interface PlatformFields {
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** Whether a package's `os`/`cpu`/`libc` fields allow `target`, read as npm reads them (no field: any platform). */
export function fitsTarget(pkg: PlatformFields, target: Target): boolean {
  const allows = (list: string[] | undefined, value: string | undefined) => {
    if (!list || list.length === 0 || value === undefined) return true;
    if (list.includes(`!${value}`)) return false;
    return list.some((v) => !v.startsWith('!')) ? list.includes(value) : true;
  };
  return allows(pkg.os, target.os) && allows(pkg.cpu, target.cpu) && allows(pkg.libc, target.os === 'linux' ? target.libc : undefined);
}

/**
 * Packages left out although a shipped package depends on them: onnxruntime-web (transformers'
 * Node build carries its own copy inline and never loads the package), and every node-llama-cpp
 * binary but the target's CPU build ({@link Target.llamaBinary}): GPU builds (CUDA, Vulkan) and
 * other platforms' builds stay out (linux-arm64 claims x64 too, as a cross build).
 */
export const EXCLUDED_PACKAGES = ['onnxruntime-web'];

/** Whether package `name` stays out of `target`'s .vsix (see {@link EXCLUDED_PACKAGES}). */
export function isExcludedPackage(name: string, target: Target): boolean {
  if (EXCLUDED_PACKAGES.includes(name)) return true;
  return name.startsWith('@node-llama-cpp/') && name !== target.llamaBinary;
}
