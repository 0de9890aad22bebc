/**
 * Finding a DSO's files as perf 6.1 does: build-id checks, the build-id
 * cache, symfs, /usr/lib/debug/.build-id, .gnu_debuglink; warnings, not
 * exceptions, when nothing usable exists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SymbolResolver } from '../../../src/session/symbols/index.js';
import { buildElf, buildIdNote } from './support/elf-builder.js';

const REAL_SYMFS = path.resolve('tests/fixtures/real/symfs');
const FIXTURES = path.resolve('tests/unit/symbols/fixtures');
const BIN = '/tmp/perfreal/bin/recurse-fp';
const BUILD_ID = '7ccf95f75395a37a868d59535fe02623c4f34369';
const ORIGINAL = path.join(REAL_SYMFS, BIN);
/** Addresses (map_ip) of recurse-fp frames and what perf printed for them (fp-recurse oracle). */
const FRAMES: [number, string][] = [
  [0x1189, 'leaf_work+0x20'],
  [0x11be, 'recurse_a+0x1b'],
  [0x11f2, 'recurse_b+0x1b'],
  [0x1229, 'fib+0x1e'],
  [0x132c, 'main+0xf3'],
];

const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `perfws-${tag}-`));

function place(root: string, rel: string, from: string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.copyFileSync(from, p);
  return p;
}

function printed(r: SymbolResolver, ref: { path: string; buildId?: string }): string[] {
  const d = r.dso(ref);
  return FRAMES.map(([addr]) => {
    const s = d.find(addr);
    return s ? `${s.name}+0x${(BigInt(addr) - s.start).toString(16)}` : '[unknown]';
  });
}

const EXPECTED = FRAMES.map(([, s]) => s);
/** ELF header fields of the files built here: 64-bit little-endian x86-64, ET_DYN. */
const X86_64_SHARED_OBJECT = { is64: true, littleEndian: true, type: 3, machine: 62 } as const;
const UNKNOWN = FRAMES.map(() => '[unknown]');

describe('SymbolResolver file lookup', () => {
  test('a file under symfs with the recorded build-id is used', () => {
    const r = new SymbolResolver({ symfs: REAL_SYMFS, buildidDir: tmpDir('bid') });
    expect(printed(r, { path: BIN, buildId: BUILD_ID })).toEqual(EXPECTED);
    expect(r.dso({ path: BIN, buildId: BUILD_ID }).symbolFile).toBe(ORIGINAL);
    expect(r.warnings()).toEqual([]);
  });

  test('a build-id mismatch refuses the file, with a warning naming path and both build-ids', () => {
    const r = new SymbolResolver({ symfs: REAL_SYMFS, buildidDir: tmpDir('bid') });
    const wrong = '00112233445566778899aabbccddeeff00112233';
    const d = r.dso({ path: BIN, buildId: wrong });
    expect(d.resolved).toBe(false);
    expect(printed(r, { path: BIN, buildId: wrong })).toEqual(UNKNOWN);
    const w = r.warnings();
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(BIN);
    expect(w[0]).toContain(wrong);
    expect(w[0]).toContain(BUILD_ID);
  });

  test('a recorded build-id padded with zeros to 20 bytes matches a shorter one in the file (dso__build_id_equal)', () => {
    const symfs = tmpDir('symfs');
    const md5Id = '00112233445566778899aabbccddeeff'; // a 16-byte (--build-id=md5) id
    const elf = buildElf({
      ...X86_64_SHARED_OBJECT,
      sections: [
        { name: '.text', type: 1, flags: 6n, addr: 0x1000n, data: new Uint8Array(0x40) },
        { name: '.note.gnu.build-id', type: 7, flags: 2n, data: buildIdNote(true, md5Id) },
      ],
      phdrs: [{ type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: 0x2000n, memsz: 0x2000n }],
      symtab: [{ name: 'f', value: 0x1000n, size: 0x10n, type: 2, bind: 1, shndx: '.text' }],
    });
    fs.mkdirSync(path.join(symfs, 'lib'));
    fs.writeFileSync(path.join(symfs, 'lib/md5.so'), elf);
    const r = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    expect(r.dso({ path: '/lib/md5.so', buildId: md5Id }).find(0x1000)?.name).toBe('f');
    expect(r.dso({ path: '/lib/md5.so', buildId: `${md5Id}00000000` }).find(0x1000)?.name).toBe(
      'f',
    );
    expect(r.dso({ path: '/lib/md5.so', buildId: `${md5Id}00000001` }).resolved).toBe(false);
  });

  test('a missing file gives an unresolved DSO and a warning, never an exception', () => {
    const r = new SymbolResolver({ symfs: tmpDir('empty'), buildidDir: tmpDir('bid') });
    const d = r.dso({ path: '/no/such/lib.so', buildId: 'abcdef' });
    expect(d.resolved).toBe(false);
    expect(d.find(0x1000n)).toBeUndefined();
    expect(d.find(0x1000)).toBeUndefined();
    expect(r.warnings()).toHaveLength(1);
    expect(r.warnings()[0]).toMatch(/\/no\/such\/lib\.so.*build-id abcdef/);
    // Cached: asking again neither reloads nor warns again.
    expect(r.dso({ path: '/no/such/lib.so', buildId: 'abcdef' })).toBe(d);
    expect(r.warnings()).toHaveLength(1);
  });

  test('with a symfs, the host file at the same path is never used', () => {
    // /usr/bin/env exists on this machine, but not in the (empty) symfs.
    expect(fs.existsSync('/usr/bin/env')).toBe(true);
    const r = new SymbolResolver({ symfs: tmpDir('empty'), buildidDir: tmpDir('bid') });
    expect(r.dso({ path: '/usr/bin/env' }).resolved).toBe(false);
  });

  test('a recorded name that climbs with .. stays under symfs (frames stay [unknown])', () => {
    // The real binary exists outside the (empty) symfs: a plain join would reach it.
    const climbing = `${'/..'.repeat(12)}${ORIGINAL}`;
    const r = new SymbolResolver({ symfs: tmpDir('empty'), buildidDir: tmpDir('bid') });
    expect(printed(r, { path: climbing })).toEqual(UNKNOWN);
    expect(printed(r, { path: climbing, buildId: BUILD_ID })).toEqual(UNKNOWN);
    // Inside symfs, the same climb stops at its root: the binary under symfs is the one used.
    const symfs = tmpDir('symfs');
    place(symfs, BIN, ORIGINAL);
    const inside = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    expect(printed(inside, { path: `/../../..${BIN}` })).toEqual(EXPECTED);
  });

  test('a .gnu_debuglink name that climbs with .. stays under symfs', () => {
    const outside = tmpDir('outside');
    fs.copyFileSync(
      path.join(FIXTURES, 'debuglink', '/tmp/perfreal/bin/.debug/recurse-fp.debug'),
      path.join(outside, 'recurse-fp.debug'),
    );
    const symfs = tmpDir('symfs');
    // symfs/tmp/perfreal/bin/prog, stripped, whose debuglink climbs out of symfs to `outside`.
    const link = `../../../../${path.basename(outside)}/recurse-fp.debug`;
    const linkData = new Uint8Array(Math.ceil((link.length + 1) / 4) * 4 + 4);
    linkData.set(new TextEncoder().encode(link), 0);
    const elf = buildElf({
      ...X86_64_SHARED_OBJECT,
      sections: [
        { name: '.text', type: 1, flags: 6n, addr: 0x1000n, data: new Uint8Array(0x400) },
        { name: '.gnu_debuglink', type: 1, flags: 0n, data: linkData },
      ],
      phdrs: [{ type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: 0x2000n, memsz: 0x2000n }],
    });
    fs.mkdirSync(path.join(symfs, 'tmp/perfreal/bin'), { recursive: true });
    fs.writeFileSync(path.join(symfs, 'tmp/perfreal/bin/prog'), elf);
    expect(fs.existsSync(path.join(symfs, 'tmp/perfreal/bin', link))).toBe(true);
    const r = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    const d = r.dso({ path: '/tmp/perfreal/bin/prog' });
    expect(d.symbolFile ?? '').not.toContain(outside);
    expect(printed(r, { path: '/tmp/perfreal/bin/prog' })).toEqual(UNKNOWN);
  });

  test('the build-id cache (<dir>/.build-id/xx/rest/elf) is found without a symfs copy', () => {
    const bid = tmpDir('bid');
    place(bid, `.build-id/${BUILD_ID.slice(0, 2)}/${BUILD_ID.slice(2)}/elf`, ORIGINAL);
    const r = new SymbolResolver({ symfs: tmpDir('empty'), buildidDir: bid });
    expect(printed(r, { path: BIN, buildId: BUILD_ID })).toEqual(EXPECTED);
  });

  test('the old build-id cache layout (a regular file at .build-id/xx/rest) works too', () => {
    const bid = tmpDir('bid');
    place(bid, `.build-id/${BUILD_ID.slice(0, 2)}/${BUILD_ID.slice(2)}`, ORIGINAL);
    const r = new SymbolResolver({ symfs: tmpDir('empty'), buildidDir: bid });
    expect(printed(r, { path: BIN, buildId: BUILD_ID })).toEqual(EXPECTED);
  });

  test('[vdso] comes from the build-id cache only', () => {
    const bid = tmpDir('bid');
    const none = new SymbolResolver({ symfs: REAL_SYMFS, buildidDir: bid });
    expect(none.dso({ path: '[vdso]', buildId: BUILD_ID }).resolved).toBe(false);
    expect(none.warnings()[0]).toContain('[vdso]');
    place(bid, `.build-id/${BUILD_ID.slice(0, 2)}/${BUILD_ID.slice(2)}/vdso`, ORIGINAL); // any ELF stands in
    const r = new SymbolResolver({ symfs: REAL_SYMFS, buildidDir: bid });
    expect(printed(r, { path: '[vdso]', buildId: BUILD_ID })).toEqual(EXPECTED);
  });

  test('/usr/lib/debug/.build-id/xx/rest.debug under symfs supplies the symbols of a stripped file', () => {
    const symfs = tmpDir('symfs');
    place(symfs, BIN, path.join(FIXTURES, 'debuglink', BIN)); // stripped
    expect(
      printed(new SymbolResolver({ symfs, buildidDir: tmpDir('bid') }), { path: BIN }),
    ).toEqual(UNKNOWN);
    // The stripped file's .gnu_debuglink target is not in this symfs: only the build-id path can work.
    place(
      symfs,
      `/usr/lib/debug/.build-id/${BUILD_ID.slice(0, 2)}/${BUILD_ID.slice(2)}.debug`,
      path.join(FIXTURES, 'debuglink', '/tmp/perfreal/bin/.debug/recurse-fp.debug'),
    );
    const r = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    expect(printed(r, { path: BIN, buildId: BUILD_ID })).toEqual(EXPECTED);
    expect(r.dso({ path: BIN, buildId: BUILD_ID }).symbolFile).toMatch(
      /\.build-id\/7c\/cf95.*\.debug$/,
    );
  });

  test('.gnu_debuglink finds <dir>/.debug/<name> (perf reads the build-id from the file itself)', () => {
    const symfs = path.join(FIXTURES, 'debuglink');
    const r = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    expect(printed(r, { path: BIN })).toEqual(EXPECTED);
    expect(r.dso({ path: BIN }).symbolFile).toBe(
      path.join(symfs, '/tmp/perfreal/bin/.debug/recurse-fp.debug'),
    );
  });

  test('.gnu_debugdata (MiniDebugInfo) is ignored by default like perf 6.1, and used when asked', () => {
    const symfs = path.join(FIXTURES, 'minidebuginfo');
    const perf61 = new SymbolResolver({ symfs, buildidDir: tmpDir('bid') });
    expect(printed(perf61, { path: BIN, buildId: BUILD_ID })).toEqual(UNKNOWN);
    const mini = new SymbolResolver({ symfs, buildidDir: tmpDir('bid'), gnuDebugdata: true });
    expect(printed(mini, { path: BIN, buildId: BUILD_ID })).toEqual(EXPECTED);
    expect(mini.warnings()).toEqual([]);
  });

  test('lookups take bigint or number addresses', () => {
    const d = new SymbolResolver({ symfs: REAL_SYMFS, buildidDir: tmpDir('bid') }).dso({
      path: BIN,
    });
    expect(d.find(0x1189n)).toBe(d.find(0x1189));
    expect(d.find(-1)).toBeUndefined();
    expect(d.find(2 ** 60)).toBeUndefined();
  });
});
