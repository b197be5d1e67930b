import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main';
import { projectRoot } from '../../core/index';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `medigen` in-process (fast; for most CLI tests). */
export async function runCli(args: string[]): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough() as unknown as NodeJS.WriteStream;
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  (err as unknown as PassThrough).on('data', (d: Buffer) => (stderr += d));
  const code = await main(args, out, err);
  return { code, stdout, stderr };
}

/** Runs the built `dist/cli.mjs` as a real subprocess, as a user would. */
export function runBuiltCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot()): CliResult {
  const r = spawnSync(process.execPath, [`${projectRoot()}/dist/cli.mjs`, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
