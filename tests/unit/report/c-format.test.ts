import { describe, expect, it } from 'vitest';
import { cFixed, cStrtod } from '../../../src/session/report/c-format';

describe('cFixed: glibc printf %.Nf', () => {
  it('rounds exact ties to even, as glibc does (toFixed rounds them up)', () => {
    expect(cFixed(0.125, 2)).toBe('0.12'); // 1 sample in 800
    expect(cFixed(0.375, 2)).toBe('0.38');
    expect(cFixed(12.5, 0)).toBe('12');
    expect(cFixed(13.5, 0)).toBe('14');
  });

  it('rounds the exact binary value, not its shortest decimal', () => {
    expect(cFixed(2.675, 2)).toBe('2.67'); // 2.67499999...
    expect(cFixed(1.005, 2)).toBe('1.00');
    expect(cFixed((100 * 1) / 3, 2)).toBe('33.33');
  });

  it('formats whole numbers, zero and large values', () => {
    expect(cFixed(100, 2)).toBe('100.00');
    expect(cFixed(0, 2)).toBe('0.00');
    expect(cFixed(1e21, 1)).toBe('1000000000000000000000.0');
    expect(cFixed(-0.5, 0)).toBe('-0');
  });
});

describe('cStrtod: the leading number of an argument, 0 without one', () => {
  it('parses prefixes as strtod and rounds to float for strtof', () => {
    expect(cStrtod('1.5')).toBe(1.5);
    expect(cStrtod('2%')).toBe(2);
    expect(cStrtod('abc')).toBe(0);
    expect(cStrtod('0.1', true)).toBe(Math.fround(0.1));
    expect(cStrtod('0.1', true)).not.toBe(0.1);
  });
});
