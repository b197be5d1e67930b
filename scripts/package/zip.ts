/**
 * A small ZIP writer (the .vsix container): deflate or store per entry, UTF-8 names, Unix
 * permissions kept (VS Code restores them when it installs, so executables stay runnable), one
 * fixed timestamp so the same files always give the same archive. No ZIP64: an archive must stay
 * under 4 GiB and 65 535 entries (a .vsix is far below both).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { MedigenError } from '../../core/index';

/** One entry: its name in the archive and its bytes (given, or read from `source`). */
export interface ZipEntry {
  /** Name inside the archive, forward slashes, no leading slash. */
  name: string;
  /** The content; read from `source` when not given. */
  data?: Buffer;
  /** A file on disk to read the content from. */
  source?: string;
  /** Unix permission bits. Defaults to 0o644. */
  mode?: number;
}

/** What `writeZip` wrote. */
export interface ZipSummary {
  entries: number;
  /** Sum of the entries' sizes, in bytes. */
  uncompressedBytes: number;
  /** Size of the archive file, in bytes. */
  bytes: number;
}

// 2024-01-01 00:00 in MS-DOS format: a fixed date keeps archives reproducible.
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;
const LIMIT = 0xffffffff;

/**
 * Writes `entries` into a new ZIP file `outFile`, deflating each one (level `level`, defaults to
 * 9) unless that does not make it smaller (then it is stored). Throws a MedigenError when the
 * archive would need ZIP64.
 */
export function writeZip(outFile: string, entries: ZipEntry[], level = 9): ZipSummary {
  if (entries.length > 0xffff) throw new MedigenError(`Too many files for a .vsix (${entries.length}).`, 'Leave more files out of the package.');
  const fd = openSync(outFile, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  let uncompressedBytes = 0;
  const write = (b: Buffer) => {
    writeSync(fd, b);
    offset += b.length;
  };
  try {
    for (const e of entries) {
      const data = e.data ?? readFileSync(e.source!);
      const deflated = deflateRawSync(data, { level });
      const stored = deflated.length >= data.length;
      const body = stored ? data : deflated;
      const crc = crc32(data) >>> 0;
      const name = Buffer.from(e.name, 'utf8');
      if (data.length > LIMIT || offset + body.length > LIMIT) throw new MedigenError(`The package passed 4 GiB at ${e.name}.`, 'Leave large files out of the package.');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
      local.writeUInt16LE(UTF8_FLAG, 6);
      local.writeUInt16LE(stored ? 0 : 8, 8);
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below counts)
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(UTF8_FLAG, 8);
      header.writeUInt16LE(stored ? 0 : 8, 10);
      header.writeUInt16LE(DOS_TIME, 12);
      header.writeUInt16LE(DOS_DATE, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(body.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      // extra, comment, disk, internal attributes: 0
      header.writeUInt32LE(((0o100000 | ((e.mode ?? 0o644) & 0o777)) << 16) >>> 0, 38); // regular file + permissions
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      write(local);
      write(name);
      write(body);
      uncompressedBytes += data.length;
    }
    const cdOffset = offset;
    for (const b of central) write(b);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(offset - cdOffset, 12);
    end.writeUInt32LE(cdOffset, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
  return { entries: entries.length, uncompressedBytes, bytes: offset };
}
