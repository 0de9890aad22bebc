import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/renderer/format/html';
import {
  formatBytes,
  formatCompact,
  formatCount,
  formatPercent,
  formatWeight,
} from '../../src/renderer/format/numbers';
import {
  compileSearch,
  exactNamePattern,
  searchPatternError,
} from '../../src/renderer/format/search';
import {
  formatDuration,
  formatSampleTime,
  formatTimestamp,
  niceTimeStep,
} from '../../src/renderer/format/time';

describe('durations and timestamps', () => {
  it('writes a duration with three significant digits in the largest unit that fits', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(999)).toBe('999 ns');
    expect(formatDuration(1_500)).toBe('1.50 µs');
    expect(formatDuration(75_200_000)).toBe('75.2 ms');
    expect(formatDuration(330_000_000)).toBe('330 ms');
    expect(formatDuration(65_400_000_000)).toBe('65.4 s');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('writes axis labels with the decimals their resolution needs, in one unit per magnitude', () => {
    expect(formatTimestamp(0, 20_000_000)).toBe('0 ms');
    expect(formatTimestamp(400_000_000, 200_000_000)).toBe('400 ms');
    expect(formatTimestamp(1_200_000_000, 200_000_000)).toBe('1.2 s');
    expect(formatTimestamp(1_250_000_000, 1_000_000)).toBe('1.250 s');
    expect(formatTimestamp(12_345_670, 10)).toBe('12.34567 ms');
  });

  it('prints sample times like perf script (seconds, microseconds)', () => {
    expect(formatSampleTime(62_944_123)).toBe('0.062944');
  });

  it('picks axis steps from the 1-2-5 series', () => {
    expect(niceTimeStep(0.3)).toBe(1);
    expect(niceTimeStep(3)).toBe(5);
    expect(niceTimeStep(1_700_000)).toBe(2_000_000);
    expect(niceTimeStep(6_000)).toBe(10_000);
  });
});

describe('numbers', () => {
  it('groups counts and compacts large ones', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCompact(9_999)).toBe('9,999');
    expect(formatCompact(1_234_567)).toBe('1.23 M');
    expect(formatCompact(98_765_432_100)).toBe('98.8 G');
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(110_928)).toBe('108 KiB');
    expect(formatBytes(451_037_716)).toBe('430 MiB');
  });

  it('never rounds a real share down to zero percent', () => {
    expect(formatPercent(1, 3)).toBe('33.3 %');
    expect(formatPercent(1, 10_000)).toBe('<0.1 %');
    expect(formatPercent(0, 10)).toBe('0.0 %');
    expect(formatPercent(1, 0)).toBe('–');
  });

  it('writes a weight in what it measures', () => {
    expect(formatWeight(2_400_000, 'ns')).toBe('2.40 ms');
    expect(formatWeight(1, 'samples')).toBe('1 sample');
    expect(formatWeight(12, 'samples')).toBe('12 samples');
    expect(formatWeight(3_500_000_000, 'events')).toBe('3.50 G events');
  });
});

describe('search patterns', () => {
  it('accepts regular expressions and reports bad ones without throwing', () => {
    expect(searchPatternError('spin_.*')).toBeUndefined();
    expect(searchPatternError('spin_(')).toBe(
      'missing closing ): `spin_(` (search patterns use RE2 syntax)',
    );
    expect(compileSearch('SPIN')?.test('spin_ms')).toBe(true);
    expect(compileSearch('spin_(')).toBeUndefined();
    expect(compileSearch('')).toBeUndefined();
  });

  it('matches in linear time: a catastrophic pattern for a backtracking engine returns at once', () => {
    // JavaScript's RegExp needs about 2^n steps for this on a name of n characters without \x01.
    const pattern = compileSearch('(.*.*)*\x01')!;
    expect(pattern.test('std::__introsort_loop<int*, long>(int*, int*, long)'.repeat(20))).toBe(
      false,
    );
    expect(compileSearch('(x+x+)+y')!.test('x'.repeat(5000))).toBe(false);
  });

  it('refuses what RE2 does not do, and patterns past the length bound, saying why', () => {
    expect(searchPatternError('x(?=y)')).toBe(
      'invalid or unsupported Perl syntax: `(?=` (search patterns use RE2 syntax)',
    );
    expect(searchPatternError('(a)\\1')).toMatch(/^invalid escape sequence: `\\1`/);
    expect(searchPatternError('a'.repeat(1001))).toBe(
      'the pattern has 1001 characters; at most 1000 are accepted',
    );
    expect(searchPatternError('a'.repeat(1000))).toBeUndefined();
    // The syntax people type: classes, alternation, anchors, case-insensitive.
    expect(compileSearch('^(main|start)$')!.test('MAIN')).toBe(true);
    expect(compileSearch('[a-z_]+::sort')!.test('std::sort')).toBe(true);
    expect(compileSearch('\\bfib\\b')!.test('fib_fast')).toBe(false);
  });

  it('builds a pattern that matches one name exactly, metacharacters and all', () => {
    const pattern = compileSearch(exactNamePattern('operator()<int>(int*)'))!;
    expect(pattern.test('operator()<int>(int*)')).toBe(true);
    expect(pattern.test('operator()<int>(int*) const')).toBe(false);
  });

  it('escapes names before a library puts them in HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });
});
