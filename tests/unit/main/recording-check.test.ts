import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRecording, problemErrorKind } from '../../../src/main/recording-check';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const fixture = (p: string): string => join(FIXTURES, p);
const scratch = mkdtempSync(join(tmpdir(), 'perfws-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A file made of a magic and a u64 header size in the given byte order, then zeros. */
function synthetic(name: string, magic: string, headerSize: number, order: 'le' | 'be'): string {
  const bytes = Buffer.alloc(Math.max(headerSize, 16));
  bytes.write(magic, 0, 'latin1');
  if (order === 'le') bytes.writeBigUInt64LE(BigInt(headerSize), 8);
  else bytes.writeBigUInt64BE(BigInt(headerSize), 8);
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

describe('checkRecording on real recordings', () => {
  it('accepts a file-mode recording (PERFILE2, header of 104 bytes)', async () => {
    const path = fixture('real/fp-recurse/perf.data');
    expect(await checkRecording(path)).toEqual({
      ok: true,
      path,
      kind: 'file',
      layout: 'file',
      byteOrder: 'little',
    });
  });

  it('accepts a pipe-mode recording (header of 16 bytes)', async () => {
    expect(await checkRecording(fixture('real/pipe-forkexec/perf.data'))).toMatchObject({
      ok: true,
      layout: 'pipe',
      byteOrder: 'little',
    });
    expect(
      await checkRecording(
        fixture('external/perf_data_converter/perf.data.piped.header_features-4.16'),
      ),
    ).toMatchObject({ ok: true, layout: 'pipe' });
  });

  it('accepts a perf record --threads directory, and opens the directory when its data file is chosen', async () => {
    const dir = fixture('local/threads-dir/perf.data');
    expect(await checkRecording(dir)).toEqual({
      ok: true,
      path: dir,
      kind: 'directory',
      layout: 'file',
      byteOrder: 'little',
    });
    expect(await checkRecording(join(dir, 'data'))).toMatchObject({ ok: true, path: dir });
  });

  it('refuses the old PERFFILE v1 format with a message that says so', async () => {
    const check = await checkRecording(fixture('external/hotspot/perf.data.true.v1'));
    expect(check).toMatchObject({ ok: false, problem: 'old-format' });
    expect(!check.ok && check.message).toMatch(/format version 1.*PERFFILE.*PERFILE2/);
  });

  it('refuses files that are not perf data, naming what they start with', async () => {
    const check = await checkRecording(fixture('real/kallsyms'));
    expect(check).toMatchObject({ ok: false, problem: 'not-a-recording' });
    expect(!check.ok && check.message).toMatch(
      /starts with "ffffffff" \(66 66 .*expected "PERFILE2"/,
    );
    expect(await checkRecording(fixture('real/symfs/usr/bin/dash'))).toMatchObject({
      ok: false,
      problem: 'not-a-recording',
    });
  });
});

describe('checkRecording on the file system', () => {
  it('reports a missing file', async () => {
    const check = await checkRecording(join(scratch, 'nope.data'));
    expect(check).toMatchObject({ ok: false, problem: 'missing' });
    expect(!check.ok && check.message).toMatch(/nope\.data: no such file/);
  });

  it('refuses a directory that is not a perf.data directory', async () => {
    expect(await checkRecording(fixture('real/symfs'))).toMatchObject({
      ok: false,
      problem: 'directory-without-data',
    });
  });

  it('refuses a named pipe without reading from it', async () => {
    const fifo = join(scratch, 'stream');
    execFileSync('mkfifo', [fifo]);
    expect(await checkRecording(fifo)).toMatchObject({ ok: false, problem: 'special-file' });
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read', async () => {
    const path = synthetic('secret.data', 'PERFILE2', 104, 'le');
    chmodSync(path, 0o000);
    expect(await checkRecording(path)).toMatchObject({ ok: false, problem: 'unreadable' });
  });
});

describe('checkRecording on synthetic headers', () => {
  it('reads the byte order from the magic, and the header size in that order', async () => {
    expect(await checkRecording(synthetic('be-file.data', '2ELIFREP', 104, 'be'))).toMatchObject({
      ok: true,
      layout: 'file',
      byteOrder: 'big',
    });
    expect(await checkRecording(synthetic('be-pipe.data', '2ELIFREP', 16, 'be'))).toMatchObject({
      ok: true,
      layout: 'pipe',
      byteOrder: 'big',
    });
  });

  it('refuses a header size that is neither a file nor a pipe header', async () => {
    const check = await checkRecording(synthetic('odd.data', 'PERFILE2', 40, 'le'));
    expect(check).toMatchObject({ ok: false, problem: 'bad-header-size' });
    expect(!check.ok && check.message).toMatch(/header of 40 bytes, expected 104 \(file\) or 16/);
    // A big-endian size read as little-endian would be huge: the byte order matters.
    expect(await checkRecording(synthetic('mixed.data', 'PERFILE2', 104, 'be'))).toMatchObject({
      ok: false,
      problem: 'bad-header-size',
    });
  });

  it('refuses files too short for a header', async () => {
    const empty = join(scratch, 'empty.data');
    writeFileSync(empty, '');
    expect(await checkRecording(empty)).toMatchObject({ ok: false, problem: 'too-short' });
    const cut = join(scratch, 'cut.data');
    writeFileSync(cut, 'PERFILE2\x68\x00');
    expect(await checkRecording(cut)).toMatchObject({ ok: false, problem: 'too-short' });
  });

  it('recognises a compressed recording and says to decompress it', async () => {
    const gz = join(scratch, 'perf.data.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]));
    const check = await checkRecording(gz);
    expect(check).toMatchObject({ ok: false, problem: 'compressed' });
    expect(!check.ok && check.message).toMatch(/gzip-compressed/);
  });

  it('treats a directory whose data file is not a recording as not a recording', async () => {
    const dir = join(scratch, 'fake.data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data'), 'hello world, not perf');
    expect(await checkRecording(dir)).toMatchObject({ ok: false, problem: 'not-a-recording' });
  });
});

describe('problemErrorKind', () => {
  it('reports file-system problems as "file" and content problems as "bad-recording"', () => {
    expect(problemErrorKind('missing')).toBe('file');
    expect(problemErrorKind('special-file')).toBe('file');
    expect(problemErrorKind('old-format')).toBe('bad-recording');
    expect(problemErrorKind('not-a-recording')).toBe('bad-recording');
  });
});
