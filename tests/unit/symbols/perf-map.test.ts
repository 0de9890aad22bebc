/** JIT maps (/tmp/perf-PID.map), loaded as perf 6.1's dso__load_perf_map() does. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SymbolResolver } from '../../../src/session/symbols/index.js';

function symfsWithMap(pid: number, text: string): string {
  const symfs = fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-jit-'));
  fs.mkdirSync(path.join(symfs, 'tmp'));
  fs.writeFileSync(path.join(symfs, `tmp/perf-${pid}.map`), text, 'latin1');
  return symfs;
}

describe('perf-PID.map', () => {
  const text = [
    '7f0000001000 40 Interpreter',
    '0x7f0000002000 0x20 LazyCompile:~fib /app/fib.js:3',
    '7f0000003000 0 empty_entry',
    '7f0000004000 10 first_at_4000',
    '7f0000004000 10 second_at_4000',
    'garbage',
    '7f0000005000 8 last_without_newline',
  ].join('\n');

  test('START SIZE name lines (hex, optional 0x), absolute addresses, names kept verbatim', () => {
    const r = new SymbolResolver({ symfs: symfsWithMap(4242, text), buildidDir: os.tmpdir() });
    const d = r.dso({ path: '/tmp/perf-4242.map', pid: 4242 });
    expect(d.resolved).toBe(true);
    expect(d.find(0x7f0000001000n)).toEqual({
      name: 'Interpreter',
      start: 0x7f0000001000n,
      end: 0x7f0000001040n,
    });
    expect(d.find(0x7f000000103fn)?.name).toBe('Interpreter');
    expect(d.find(0x7f0000001040n)).toBeUndefined(); // end is exclusive
    expect(d.find(0x7f0000002010)?.name).toBe('LazyCompile:~fib /app/fib.js:3');
    expect(r.warnings()).toEqual([]);
  });

  test('no end fix-up: a size-0 entry matches only its start', () => {
    const d = new SymbolResolver({ symfs: symfsWithMap(1, text) }).dso({ path: '/tmp/perf-1.map' });
    expect(d.find(0x7f0000003000n)?.name).toBe('empty_entry');
    expect(d.find(0x7f0000003001n)).toBeUndefined();
  });

  test('no duplicate clean-up: of two entries at one address the rb-tree walk finds the first inserted', () => {
    const d = new SymbolResolver({ symfs: symfsWithMap(2, text) }).dso({ path: '/tmp/perf-2.map' });
    expect(d.find(0x7f0000004008n)?.name).toBe('first_at_4000');
  });

  test('like perf, the last character of a line without a newline is lost', () => {
    const d = new SymbolResolver({ symfs: symfsWithMap(3, text) }).dso({ path: '/tmp/perf-3.map' });
    expect(d.find(0x7f0000005000n)?.name).toBe('last_without_newlin');
  });

  test('a missing map is a warning, not an exception', () => {
    const r = new SymbolResolver({ symfs: fs.mkdtempSync(path.join(os.tmpdir(), 'perfws-jit-')) });
    const d = r.dso({ path: '/tmp/perf-999999999.map' });
    expect(d.resolved).toBe(false);
    expect(d.find(0x1000n)).toBeUndefined();
    expect(r.warnings()[0]).toContain('/tmp/perf-999999999.map');
  });
});
