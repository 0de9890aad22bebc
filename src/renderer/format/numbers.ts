import type { Weight } from '../../shared/contract';
import { formatDuration } from './time';

const grouped = new Intl.NumberFormat('en-US');

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? grouped.format(Math.round(n)) : '–';
}

const pluralRules = new Intl.PluralRules('en-US');

/** The word for `n` things: `plural(1, 'sample')` → `sample`, `plural(2, 'process', 'processes')`. */
export function plural(n: number, one: string, other = `${one}s`): string {
  return pluralRules.select(n) === 'one' ? one : other;
}

/** `n` things, counted: `1 sample`, `1,234 samples`, `2 processes`. */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${formatCount(n)} ${plural(n, one, other)}`;
}

/** `1234567` → `1.23 M`: for large weights where digits do not matter. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1e4) return formatCount(n);
  for (const [size, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= size) {
      const v = n / size;
      return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)} ${suffix}`;
    }
  }
  return formatCount(n);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** A share as a percentage with one decimal (`<0.1 %` rather than a misleading `0.0 %`). */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0)) return '–';
  const p = (100 * part) / whole;
  if (p > 0 && p < 0.1) return '<0.1 %';
  return `${p.toFixed(1)} %`;
}

/**
 * What a weight measures: CPU time in ns (cpu-clock, task-clock periods), sample counts, or
 * event counts (hardware counters' periods).
 */
export type WeightUnit = 'ns' | 'samples' | 'events';

/**
 * The unit of a flame graph's or call tree's width: the event's period unit, samples, or
 * nanoseconds off the CPU.
 */
export function unitOfWeight(weight: Weight, periodUnit: WeightUnit): WeightUnit {
  return weight === 'samples' ? 'samples' : weight === 'off-cpu' ? 'ns' : periodUnit;
}

export function formatWeight(value: number, unit: WeightUnit): string {
  switch (unit) {
    case 'ns':
      return formatDuration(value);
    case 'samples':
      return countOf(value, 'sample');
    case 'events':
      return `${formatCompact(value)} events`;
    default: {
      const never: never = unit;
      return never;
    }
  }
}
