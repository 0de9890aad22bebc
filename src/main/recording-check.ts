import { constants as fsConstants, type Stats } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ErrorKind } from '../shared/contract';

/**
 * Looks at a recording natively before any session starts: is it there, a regular file (or a
 * `perf record --threads` directory), readable, and does it start like a perf.data file. Main
 * reads 16 bytes and never parses records: that is the session's job.
 *
 *   struct perf_file_header      { u64 magic "PERFILE2"; u64 size = 104; ... }   file layout
 *   struct perf_pipe_file_header { u64 magic "PERFILE2"; u64 size = 16; }        pipe layout
 *
 * The magic is written in the recording machine's byte order, so a big-endian recording starts
 * with "2ELIFREP"; the header size is in the same order.
 */
export type RecordingCheck = RecordingAccepted | RecordingRefused;

export interface RecordingAccepted {
  ok: true;
  /** What the session should open: the chosen path, or the directory a `data` file belongs to. */
  path: string;
  kind: 'file' | 'directory';
  layout: 'file' | 'pipe';
  byteOrder: 'little' | 'big';
}

export interface RecordingRefused {
  ok: false;
  problem: RecordingProblem;
  /** A sentence for the user that names the path. */
  message: string;
}

export type RecordingProblem =
  | 'missing'
  | 'unreadable'
  | 'special-file'
  | 'directory-without-data'
  | 'too-short'
  | 'old-format'
  | 'compressed'
  | 'not-a-recording'
  | 'bad-header-size';

const MAGIC_LITTLE = 'PERFILE2';
const MAGIC_BIG = '2ELIFREP';
const MAGIC_V1 = 'PERFFILE';
const PIPE_HEADER_SIZE = 16n;
const FILE_HEADER_SIZE = 104n;
/** The session also reads pre-2012 headers without adds_features (72 bytes) and longer ones. */
const FILE_HEADER_MIN = 72n;
const FILE_HEADER_MAX = 4096n;

export async function checkRecording(path: string): Promise<RecordingCheck> {
  const info = await statOrProblem(path);
  if ('ok' in info) return info;

  if (info.isDirectory()) {
    const header = join(path, 'data');
    const headerInfo = await statOrProblem(header);
    if ('ok' in headerInfo || !headerInfo.isFile()) {
      return refuse(
        'directory-without-data',
        `${path} is a directory, not a perf.data directory (it has no "data" file inside)`,
      );
    }
    return checkHeader(path, header, 'directory');
  }
  if (!info.isFile()) {
    const what = info.isFIFO() ? 'a named pipe' : 'not a regular file';
    return refuse(
      'special-file',
      `${path} is ${what}: save the stream to a file first (perf record -o - > FILE)`,
    );
  }
  // The `data` file of a --threads directory chosen in a file dialog: open the whole directory.
  if (basename(path) === 'data' && (await isFile(join(dirname(path), 'data.0')))) {
    return checkHeader(dirname(path), path, 'directory');
  }
  return checkHeader(path, path, 'file');
}

/** The kind of SessionError a refused recording is reported as (RecordingState 'failed'). */
export function problemErrorKind(problem: RecordingProblem): ErrorKind {
  switch (problem) {
    case 'missing':
    case 'unreadable':
    case 'special-file':
      return 'file';
    case 'directory-without-data':
    case 'too-short':
    case 'old-format':
    case 'compressed':
    case 'not-a-recording':
    case 'bad-header-size':
      return 'bad-recording';
    default: {
      const never: never = problem;
      throw new Error(`unknown problem ${String(never)}`);
    }
  }
}

async function checkHeader(
  openPath: string,
  headerPath: string,
  kind: RecordingAccepted['kind'],
): Promise<RecordingCheck> {
  let bytes: Buffer;
  try {
    await access(headerPath, fsConstants.R_OK);
    const handle = await open(headerPath, 'r');
    try {
      bytes = Buffer.alloc(16);
      const { bytesRead } = await handle.read(bytes, 0, 16, 0);
      bytes = bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    return fsProblem(headerPath, e);
  }

  const magic = bytes.subarray(0, 8).toString('latin1');
  if (magic === MAGIC_V1) {
    return refuse(
      'old-format',
      `${headerPath} is a perf.data of format version 1 (magic "PERFFILE", perf before 2012); ` +
        'only version 2 ("PERFILE2") can be read: convert it with an old perf (`perf inject`)',
    );
  }
  if (magic !== MAGIC_LITTLE && magic !== MAGIC_BIG) {
    if (bytes.length < 8) {
      return refuse(
        'too-short',
        `${headerPath} is too short for a perf.data (${bytes.length} bytes)`,
      );
    }
    const packed = compressedFormat(bytes);
    if (packed) {
      return refuse('compressed', `${headerPath} is ${packed}-compressed: decompress it first`);
    }
    return refuse(
      'not-a-recording',
      `${headerPath} is not a perf.data file: it starts with ${describeBytes(bytes.subarray(0, 8))}, ` +
        'expected "PERFILE2"',
    );
  }
  if (bytes.length < 16) {
    return refuse(
      'too-short',
      `${headerPath} ends inside its perf.data header (${bytes.length} bytes)`,
    );
  }

  const byteOrder = magic === MAGIC_LITTLE ? 'little' : 'big';
  const headerSize = byteOrder === 'little' ? bytes.readBigUInt64LE(8) : bytes.readBigUInt64BE(8);
  if (headerSize === PIPE_HEADER_SIZE) {
    return { ok: true, path: openPath, kind, layout: 'pipe', byteOrder };
  }
  if (headerSize >= FILE_HEADER_MIN && headerSize <= FILE_HEADER_MAX) {
    return { ok: true, path: openPath, kind, layout: 'file', byteOrder };
  }
  return refuse(
    'bad-header-size',
    `${headerPath} has a perf.data header of ${headerSize} bytes, expected ${FILE_HEADER_SIZE} ` +
      `(file) or ${PIPE_HEADER_SIZE} (pipe)`,
  );
}

async function statOrProblem(path: string): Promise<Stats | RecordingRefused> {
  try {
    return await stat(path);
  } catch (e) {
    return fsProblem(path, e);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function fsProblem(path: string, e: unknown): RecordingRefused {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return refuse('missing', `${path}: no such file`);
    case 'EACCES':
    case 'EPERM':
      return refuse('unreadable', `${path}: permission denied`);
    default:
      return refuse('unreadable', `${path}: cannot be read (${(e as Error).message})`);
  }
}

function compressedFormat(bytes: Buffer): string | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (bytes.subarray(0, 6).toString('latin1') === '\xfd7zXZ\x00') return 'xz';
  if (bytes.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  return undefined;
}

function describeBytes(bytes: Buffer): string {
  const printable = Array.from(bytes, (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
  );
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'));
  return `"${printable.join('')}" (${hex.join(' ')})`;
}

function refuse(problem: RecordingProblem, message: string): RecordingRefused {
  return { ok: false, problem, message };
}
