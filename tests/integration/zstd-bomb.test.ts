/**
 * zstd decompression bombs: COMPRESSED records whose few hundred KB expand to gigabytes, and
 * frame headers that declare absurd sizes. perf decompresses into a buffer of fixed size
 * (mmap_len); so does the reader, in bounded pieces, refusing what would not fit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { FIXTURES, tempFile } from '../support/recordings';
import {
  appendRecords,
  bombRecords,
  compressedRecord,
  finishedRoundsBlock,
  frameHeader,
} from '../support/zstd-bomb';

const ROOT = join(__dirname, '..', '..');
const ZSTD = join(FIXTURES, 'real', 'compressed-zstd', 'perf.data');
const FP = join(FIXTURES, 'real', 'fp-recurse', 'perf.data');

/** Where the data section of a file-mode recording ends (where records get appended). */
function dataEnd(file: Uint8Array): number {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return Number(v.getBigUint64(40, true) + v.getBigUint64(48, true));
}

/** How a PerfDataError names where it happened. */
const where = (at: number): string =>
  `at byte offset ${at} (0x${at.toString(16)}) in compressed.data`;

/** `perfws stats -i FILE` in a child process: exit code, output, peak resident memory. */
function statsInChild(file: string): { status: number | null; out: string; peakBytes: number } {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(ROOT, 'tests', 'support', 'report-peak-rss.mjs'),
      join(ROOT, 'src', 'cli', 'perfws.ts'),
      'stats',
      '-i',
      file,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  const peak = /peak-rss-kib (\d+)/.exec(run.stderr);
  return { status: run.status, out: run.stdout + run.stderr, peakBytes: Number(peak?.[1]) * 1024 };
}

async function readError(file: string): Promise<{ message: string; offset: number } | undefined> {
  const reader = PerfDataReader.open(file);
  try {
    const result = await reader.read(() => {});
    return result.error && { message: result.error.message, offset: result.error.offset };
  } finally {
    reader.close();
  }
}

describe('a decompression bomb', () => {
  it('1.6 GB from 240 KB of COMPRESSED records: refused at its offset, in bounded memory', () => {
    const original = new Uint8Array(readFileSync(ZSTD));
    // The recording's zstd frame is still open at its end: the bomb's blocks continue it.
    const bomb = bombRecords(4, 3000);
    expect(bomb.reduce((n, r) => n + r.length, 0)).toBeLessThan(250_000);
    const file = tempFile(appendRecords(original, bomb), 'bomb.data');
    const at = dataEnd(original);

    const clean = statsInChild(ZSTD);
    const bombed = statsInChild(file);
    expect(clean.status).toBe(0);
    expect(bombed.status).toBe(1);
    expect(bombed.out).toContain(
      `Stopped by an error: the COMPRESSED record expands to more than the recording's decompression buffer (mmap_len 528384) at byte offset ${at} (0x${at.toString(16)}) in compressed.data`,
    );
    // Everything before the bomb was read: the samples are all counted.
    expect(bombed.out).toMatch(/SAMPLE\s+1197\b/);
    expect(bombed.peakBytes - clean.peakBytes).toBeLessThan(300 << 20);
  });

  it('a recording without the COMPRESSED feature: 16 MiB per record at most', async () => {
    const original = new Uint8Array(readFileSync(FP));
    const block = finishedRoundsBlock();
    const data = new Uint8Array(6 + 200 * block.length);
    data.set(frameHeader(), 0);
    for (let i = 0; i < 200; i++) data.set(block, 6 + i * block.length);
    const file = tempFile(appendRecords(original, [compressedRecord(data)]));
    const at = dataEnd(original);
    expect(await readError(file)).toEqual({
      message: `the COMPRESSED record expands to more than 16777216 bytes (the recording declares no mmap_len) ${where(at)}`,
      offset: at,
    });
  });
});

describe('zstd headers that declare absurd sizes', () => {
  const withFrame = (frame: Uint8Array): string => {
    const original = new Uint8Array(readFileSync(FP));
    return tempFile(appendRecords(original, [compressedRecord(frame)]));
  };

  it.each([
    [
      'a 1 GiB window',
      [...frameHeader(30), ...finishedRoundsBlock(true)],
      'a zstd frame declares a 1073741824-byte window; at most 134217728 are decoded (as by libzstd)',
    ],
    [
      'a block of 2 MB',
      [...frameHeader(), 0xfd, 0xff, 0xff, 0],
      'a zstd block declares 2097151 bytes; at most 131072',
    ],
    [
      'the reserved block type',
      [...frameHeader(), 0x07, 0, 0],
      'zstd block of the reserved type 3',
    ],
    ['no frame magic', [1, 2, 3, 4, 5, 6, 7, 8], 'no zstd frame starts here (magic 0x4030201)'],
  ])('%s is refused before anything is allocated for it', async (_what, frame, why) => {
    const file = withFrame(Uint8Array.from(frame));
    const at = dataEnd(new Uint8Array(readFileSync(FP)));
    expect(await readError(file)).toEqual({
      message: `zstd data does not decompress: ${why} ${where(at)}`,
      offset: at,
    });
  });

  it('decompressed bytes that are not a record stop the read like such bytes in the file', async () => {
    // A Raw_Block (type 0): a FINISHED_ROUND header, then one of type 0x10000. (fzstd waits for
    // 18 bytes of a frame before it decodes any.)
    const raw = [(16 << 3) | 1, 0, 0, 68, 0, 0, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 8, 0];
    const file = withFrame(Uint8Array.from([...frameHeader(), ...raw]));
    const at = dataEnd(new Uint8Array(readFileSync(FP)));
    expect(await readError(file)).toEqual({
      message: `record type 65536 inside the data decompressed from the COMPRESSED record at ${at} (decompressed offset 8) at byte offset ${at} (0x${at.toString(16)}) in perf_event_header.type`,
      offset: at,
    });
  });

  it('headers split across COMPRESSED records, skippable frames and checksums pass', async () => {
    const original = new Uint8Array(readFileSync(FP));
    const skippable = [0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9];
    // A frame with a checksum flag: 4 bytes after its last block (fzstd does not verify them).
    const checked = [0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x38, ...finishedRoundsBlock(true), 0, 0, 0, 0];
    const stream = Uint8Array.from([
      ...skippable,
      ...checked,
      ...frameHeader(),
      ...finishedRoundsBlock(true),
    ]);
    const records = [];
    for (let at = 0; at < stream.length; at += 5)
      records.push(compressedRecord(stream.subarray(at, at + 5)));
    const file = tempFile(appendRecords(original, records));
    const reader = PerfDataReader.open(file);
    const result = await reader.read(() => {});
    reader.close();
    expect(result.error).toBeUndefined();
    // 2 × 128 KiB of FINISHED_ROUND records, with those of the recording itself.
    const before = PerfDataReader.open(FP);
    await before.read(() => {});
    before.close();
    expect(reader.stats.records.get('FINISHED_ROUND')).toBe(
      (before.stats.records.get('FINISHED_ROUND') ?? 0) + 2 * 16384,
    );
  });
});
