import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ByteWindow,
  ChunkPool,
  FileRangeSource,
  POOLED_BUFFER_SIZE,
} from '../../../src/session/perf-data/byte-window';

const CHUNK = 1000;
/** 3.5 chunks of bytes that say where they are (each byte: its offset mod 251). */
const bytes = Uint8Array.from({ length: 3500 }, (_, i) => i % 251);
const fds: number[] = [];

function windowOver(start = 0): ByteWindow {
  const path = join(mkdtempSync(join(tmpdir(), 'perfws-window-')), 'data');
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  fds.push(fd);
  return new ByteWindow(
    new FileRangeSource(fd, start, bytes.length),
    CHUNK,
    start,
    new ChunkPool(POOLED_BUFFER_SIZE),
  );
}

/** Takes `n` bytes at the window's position, checking each is the file's byte at its offset. */
function take(w: ByteWindow, n: number): void {
  for (let i = 0; i < n; i++) expect(w.buf[w.pos + i]).toBe(bytes[w.offset + i]);
  w.pos += n;
}

afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
});

describe('ByteWindow read-ahead', () => {
  it('parses one chunk while the next is read, the unread tail carried in front of it', async () => {
    const w = windowOver(3);
    let refills = 0;
    w.readAhead();
    for (;;) {
      // a parser taking 7-byte records until fewer than 7 bytes are buffered
      while (w.available >= 7) take(w, 7);
      if (!w.readingAhead) break;
      await w.refill();
      refills++;
      w.readAhead();
    }
    // the last refill finds the end; what is left is less than a record
    expect(w.ensure(7)).toBe(false);
    expect(w.offset + w.available).toBe(bytes.length);
    expect(w.available).toBe((bytes.length - 3) % 7);
    expect(refills).toBe(5); // 4 chunks (997 bytes in the first), then the end
  });

  it('bytes read by ensure() while a chunk is read ahead are not delivered twice', async () => {
    const w = windowOver();
    expect(w.ensure(10)).toBe(true);
    take(w, 10);
    w.readAhead();
    // a record longer than what is buffered, read at once (as skip() over a payload does)
    take(w, w.available);
    expect(w.ensure(1500)).toBe(true);
    take(w, 1500);
    await w.refill(); // the chunk read ahead is stale: dropped
    expect(w.readingAhead).toBe(false);
    w.readAhead();
    while (w.available > 0 || w.readingAhead) {
      if (w.available > 0) take(w, w.available);
      else await w.refill();
      w.readAhead();
    }
    expect(w.offset).toBe(bytes.length);
  });
});
