/**
 * The process student code runs in (started by `loadStudent` in checks.ts, never by hand).
 * Imports the student's entry file and answers the check process's calls over the IPC channel
 * (v8 serialization: plain objects, arrays, Map, Set, Date, typed arrays cross as they are).
 *
 * This process holds no assertion and no result channel: file descriptor 3 is not open here, and
 * what student code does to `assert`, `process.exit` or its own globals cannot reach the check.
 * When the check process ends (or is killed), this process ends too, even inside an infinite loop.
 */
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// orphanGuard directly, not engine/index: this file runs from TypeScript sources in the student's
// process (and ships as such in the .vsix), so it loads only what it needs.
import { exitWithParent } from '../engine/orphanGuard';
import { guardImports } from './moduleGuard';
import type { HostReply, HostRequest, WireError } from './wire';

exitWithParent({ group: false });

// Taken before student code loads, so what it replaces on `process` does not change the protocol.
const send = process.send!.bind(process);
const exit = process.exit.bind(process);
process.on('disconnect', () => exit(0));

function wireError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` };
  return { name: 'Error', message: `Your code threw ${typeof e === 'string' ? JSON.stringify(e) : String(e)} (not an Error).`, stack: '' };
}

// An error nothing waited for (a promise without await, a throw in a timer's callback) would end
// this process with exit code 1 and nothing said: tell the check what it was, then end.
for (const [event, kind] of [['unhandledRejection', 'rejection'], ['uncaughtException', 'exception']] as const) {
  process.on(event, (e: unknown) => {
    try {
      send({ type: 'crash', kind, error: wireError(e) } satisfies HostReply, () => exit(1));
    } catch {
      exit(1);
    }
  });
}

function reply(m: HostReply): void {
  try {
    send(m);
  } catch (e) {
    // The value cannot be cloned (a function, a class with private fields, ...): say so instead.
    if (m.type === 'result') {
      send({ type: 'error', id: m.id, error: { name: 'TypeError', message: `${m.name} returned something that cannot be passed back to the check (${(e as Error).message.split('\n')[0]}). Return plain data: numbers, text, arrays, objects, Maps or Sets.`, stack: '' } });
    } else throw e;
  }
}

/**
 * A spare (started by a check process ahead of time, without a file): loads the library while it
 * waits, then takes its one file from the first message.
 */
async function waitForEntry(): Promise<string> {
  // As the student's file will load them (tsx runs a .ts file of this package as CommonJS).
  const load = createRequire(join(process.cwd(), 'preload.cjs'));
  for (const f of JSON.parse(process.env.MEDIGEN_STUDENT_PRELOAD || '[]') as string[]) {
    try {
      load(f);
    } catch {
      /* the student's file imports it again and reports the error */
    }
  }
  delete process.env.MEDIGEN_STUDENT_PRELOAD;
  const m = await new Promise<HostRequest>((res) => process.once('message', res));
  if (m.type !== 'load') exit(1);
  const { entry, exerciseDir } = m as Extract<HostRequest, { type: 'load' }>;
  process.chdir(dirname(entry));
  process.env.MEDIGEN_EXERCISE_DIR = exerciseDir;
  return entry;
}

async function main(): Promise<void> {
  const entry = process.argv[2] ?? (await waitForEntry());
  guardImports(dirname(entry));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (e) {
    send({ type: 'load-error', error: wireError(e) } satisfies HostReply);
    return;
  }
  const names = Object.keys(mod).filter((k) => k !== 'default');
  process.on('message', (raw: HostRequest) => {
    if (raw.type === 'load') return;
    void (async () => {
      const value = mod[raw.name];
      if (raw.type === 'get') {
        if (typeof value === 'function') return reply({ type: 'error', id: raw.id, error: { name: 'TypeError', message: `${raw.name} is a function: the check should call it, not read it.`, stack: '' } });
        return reply({ type: 'result', id: raw.id, name: raw.name, value });
      }
      if (typeof value !== 'function') {
        return reply({ type: 'error', id: raw.id, error: { name: 'TypeError', message: `${raw.name} is not a function your file exports${raw.name in mod ? ` (it is a ${typeof value})` : ''}.`, stack: '' } });
      }
      try {
        const result: unknown = await (value as (...a: unknown[]) => unknown)(...raw.args);
        reply({ type: 'result', id: raw.id, name: raw.name, value: result });
      } catch (e) {
        reply({ type: 'error', id: raw.id, error: wireError(e) });
      }
    })();
  });
  send({ type: 'ready', exports: names.map((n) => ({ name: n, kind: typeof mod[n] === 'function' ? 'function' : 'value' })) } satisfies HostReply);
}

void main();
