/** The .xz decoder behind .gnu_debugdata, against files made by xz-utils. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { XzError, decompressXz } from '../../../src/session/symbols/elf/xz-decoder.js';

const DIR = path.resolve('tests/unit/symbols/fixtures/xz');
const LINES_SHA256 = 'b33359ef2c57f6a513c2ba8c0c99537ddd644c074cb8c304c0d18ac9c97b4928';

/** The text the .xz files hold (2.5 MB: several LZMA2 chunks). */
function lines(): Buffer {
  const w = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
  let s = '';
  for (let i = 0; i < 120000; i++)
    s += `${w[i % 7]} ${w[(i * 3) % 7]} ${i % 977} ${w[(i >> 4) % 7]}\n`;
  return Buffer.from(s);
}

describe('xz decoder', () => {
  test('xz defaults (LZMA2 preset 6, CRC64), many chunks', () => {
    const out = decompressXz(fs.readFileSync(path.join(DIR, 'lines.txt.xz')), 8 << 20);
    expect(crypto.createHash('sha256').update(out).digest('hex')).toBe(LINES_SHA256);
    expect(Buffer.from(out).equals(lines())).toBe(true);
  });

  test('other lc/lp/pb and CRC32', () => {
    const out = decompressXz(fs.readFileSync(path.join(DIR, 'lines-props.txt.xz')), 8 << 20);
    expect(crypto.createHash('sha256').update(out).digest('hex')).toBe(LINES_SHA256);
  });

  test('incompressible data (stored LZMA2 chunks)', () => {
    const out = decompressXz(fs.readFileSync(path.join(DIR, 'random.bin.xz')), 1 << 20);
    expect(Buffer.from(out).equals(fs.readFileSync(path.join(DIR, 'random.bin')))).toBe(true);
  });

  test('refuses to grow past its limit, and names the offset of bad data', () => {
    const data = fs.readFileSync(path.join(DIR, 'lines.txt.xz'));
    expect(() => decompressXz(data, 1 << 20)).toThrow(/exceeds the 1048576-byte limit/);
    expect(() => decompressXz(Buffer.from('not xz at all'), 1 << 20)).toThrow(XzError);
    const truncated = data.subarray(0, 5000);
    expect(() => decompressXz(truncated, 8 << 20)).toThrow(/xz data: byte offset \d+/);
  });
});
