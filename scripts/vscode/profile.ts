/**
 * The classroom's own VS Code profile for `npm start`: user data (settings, the chosen model and
 * corpus folder, open editors, MediGen Lab's state), extensions and the port, kept in one folder
 * between starts (`npm start`: ~/.medigen/classroom, extension/dev/start.ts). The browser keeps its part of the state (open
 * tabs, layout) per address, so the port stays the same too.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A classroom profile folder, created when missing. */
export interface ClassroomProfile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's XDG config/data/cache folders (nothing written into the user's home). */
  xdgDir: string;
  /** The port of the last start, if any. */
  port?: number;
  /** Where --fresh moved the previous profile, if it did. */
  movedAside?: string;
}

const STATE_FILE = 'classroom.json';

/**
 * Opens (creates) the profile in `dir`. With `fresh`, the profile there is first moved aside to
 * `<dir>-previous` (replacing an older one there), so the start is like the first one.
 */
export function openClassroomProfile(dir: string, opts: { fresh?: boolean } = {}): ClassroomProfile {
  let movedAside: string | undefined;
  if (opts.fresh && existsSync(dir)) {
    movedAside = `${dir}-previous`;
    rmSync(movedAside, { recursive: true, force: true });
    renameSync(dir, movedAside);
  }
  const profile = { dir, userDataDir: join(dir, 'user-data'), extensionsDir: join(dir, 'extensions'), xdgDir: join(dir, 'xdg') };
  for (const d of [join(profile.userDataDir, 'User'), profile.extensionsDir, profile.xdgDir]) mkdirSync(d, { recursive: true });
  let port: number | undefined;
  try {
    const saved = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { port?: unknown };
    if (typeof saved.port === 'number' && Number.isInteger(saved.port) && saved.port > 0 && saved.port < 65536) port = saved.port;
  } catch {
    // first start, or an unreadable file: a new port is picked and saved
  }
  return { ...profile, ...(port ? { port } : {}), ...(movedAside ? { movedAside } : {}) };
}

/** Remembers `port` in the profile for the next start. */
export function rememberPort(profile: ClassroomProfile, port: number): void {
  writeFileSync(join(profile.dir, STATE_FILE), `${JSON.stringify({ port }, null, 2)}\n`);
}

/** Whether nothing listens on 127.0.0.1:`port` (binding it briefly to find out). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port that is free now, picked by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
