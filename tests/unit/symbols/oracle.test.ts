/**
 * Every resolved frame that perf 6.1 printed for the real recordings must
 * come out of our resolver identically: for "name+0xoff" lines the same
 * name and offset, for "[unknown]" lines in a file DSO no symbol at all.
 * Skipped: "(inlined)" frames (DWARF, not symbol tables) and frames
 * without a map ("[unknown] ([unknown])").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { type LoadedKernel, SymbolResolver } from '../../../src/session/symbols/index.js';
import { type OracleFrame, parseOracleFrames } from './support/oracle-lines.js';
import { type MmapRecord, readMmaps } from './support/perf-data-mmaps.js';

const FIXTURES = path.resolve('tests/fixtures');
const REAL = path.join(FIXTURES, 'real');
const SYMFS = path.join(REAL, 'symfs');
const KALLSYMS = path.join(REAL, 'kallsyms');

/** Recorded build-ids, as listed in symfs.txt ("build-id size path"). */
function recordedBuildIds(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(REAL, 'symfs.txt'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{40}) \d+ (\/.*)$/.exec(line);
    if (m) ids.set(m[2]!, m[1]!);
  }
  return ids;
}

interface OracleFile {
  recording: string;
  file: string;
}

function oracleFiles(): OracleFile[] {
  const out: OracleFile[] = [];
  for (const rec of fs.readdirSync(REAL).sort()) {
    // Recordings of another boot (their own kallsyms) are checked by the script oracle tests.
    if (fs.existsSync(path.join(REAL, rec, 'kallsyms'))) continue;
    for (const name of ['script.txt', 'script-sym.txt']) {
      const f = path.join(REAL, rec, 'oracle', name);
      if (fs.existsSync(f)) out.push({ recording: rec, file: f });
    }
  }
  const deferred = path.join(FIXTURES, 'deferred');
  for (const rec of fs.readdirSync(deferred).sort()) {
    const dir = path.join(deferred, rec, 'expected');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name === 'script.txt' || name === 'script-sym.txt')
        out.push({ recording: `deferred/${rec}`, file: path.join(dir, name) });
    }
  }
  return out;
}

/** The kernel MMAP's reference symbol ("[kernel.kallsyms]_text", pgoff) of one recording. */
function kernelRef(mmaps: MmapRecord[]): { name: string; addr: bigint } {
  const k = mmaps.find((m) => m.filename.startsWith('[kernel.kallsyms]'));
  if (!k) throw new Error('no kernel mmap');
  return { name: k.filename.slice('[kernel.kallsyms]'.length), addr: k.pgoff };
}

describe('symbols match perf 6.1 oracles', () => {
  const buildIds = recordedBuildIds();
  const emptyBuildIdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-buildid-'));
  const resolver = new SymbolResolver({
    symfs: SYMFS,
    kallsyms: KALLSYMS,
    buildidDir: emptyBuildIdDir,
  });
  // All recordings come from one boot; fp-recurse's kernel MMAP gives the reference symbol.
  const fpMmaps = readMmaps(path.join(REAL, 'fp-recurse', 'perf.data'));
  const kernel: LoadedKernel = resolver.kernel({ refSymbol: kernelRef(fpMmaps) });
  const gzipMmaps = readMmaps(path.join(REAL, 'nocallchain-gzip', 'perf.data'));

  /** Map an absolute sample ip (no callchain) to map_ip with the recording's MMAP records. */
  function mapIp(frame: OracleFrame): bigint {
    const m = gzipMmaps.find(
      (r) => r.filename === frame.dso && frame.addr >= r.start && frame.addr < r.start + r.len,
    );
    if (!m)
      throw new Error(
        `${frame.file}:${frame.line}: no mmap of ${frame.dso} holds ${frame.addr.toString(16)}`,
      );
    return frame.addr - m.start + m.pgoff;
  }

  function resolve(frame: OracleFrame): string {
    let sym;
    if (frame.dso === '[kernel.kallsyms]') {
      sym = kernel.find(frame.addr);
    } else {
      const addr = frame.callchain ? frame.addr : mapIp(frame);
      sym = resolver.dso({ path: frame.dso, buildId: buildIds.get(frame.dso) }).find(addr);
      if (sym) return `${sym.name}+0x${(addr - sym.start).toString(16)}`;
      return '[unknown]';
    }
    return sym ? `${sym.name}+0x${(frame.addr - sym.start).toString(16)}` : '[unknown]';
  }

  const files = oracleFiles();
  const perRecording = new Map<string, { checked: number; matched: number }>();
  const mismatches: string[] = [];

  test('every printed frame resolves identically', () => {
    for (const { recording, file } of files) {
      const frames = parseOracleFrames(file, fs.readFileSync(file, 'utf8'));
      const stats = perRecording.get(recording) ?? { checked: 0, matched: 0 };
      for (const f of frames) {
        if (f.dso === 'inlined' || f.dso === '[unknown]') continue;
        const want = f.symbol ? `${f.symbol.name}+0x${f.symbol.offset.toString(16)}` : '[unknown]';
        const got = resolve(f);
        stats.checked++;
        if (got === want) stats.matched++;
        else if (mismatches.length < 40)
          mismatches.push(
            `${path.relative(FIXTURES, f.file)}:${f.line} ${f.dso} ${f.addr.toString(16)}: want ${want}, got ${got}`,
          );
      }
      perRecording.set(recording, stats);
    }
    const report = [...perRecording].map(
      ([rec, s]) =>
        `${rec.padEnd(34)} ${String(s.matched).padStart(6)}/${String(s.checked).padEnd(6)} ${((100 * s.matched) / Math.max(1, s.checked)).toFixed(2)}%`,
    );
    console.log(
      `symbol match rate per recording (frames of script.txt + script-sym.txt):\n${report.join('\n')}`,
    );
    expect(mismatches).toEqual([]);
    // Every recording contributed frames, so a silently empty parse cannot pass.
    for (const [rec, s] of perRecording) expect(s.checked, rec).toBeGreaterThan(0);
    expect(perRecording.size).toBe(12 + 2);
  });

  test('the kernel map spans the kallsyms symbols', () => {
    expect(kernel.resolved).toBe(true);
    expect(kernel.range?.start).toBe(0xffffffff81000000n);
  });
});
