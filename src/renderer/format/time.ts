import type { Nanoseconds } from '../../shared/model';

const UNITS: { size: Nanoseconds; name: string }[] = [
  { size: 1e9, name: 's' },
  { size: 1e6, name: 'ms' },
  { size: 1e3, name: 'µs' },
  { size: 1, name: 'ns' },
];

/** A duration with 3 significant digits in the largest fitting unit: `1.23 s`, `450 µs`. */
export function formatDuration(ns: Nanoseconds): string {
  if (!Number.isFinite(ns)) return '–';
  const abs = Math.abs(ns);
  if (abs === 0) return '0 s';
  const unit = UNITS.find((u) => abs >= u.size) ?? UNITS[UNITS.length - 1]!;
  const value = ns / unit.size;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit.name}`;
}

/**
 * A time since the start of the recording, with as many decimals as `resolution` needs:
 * `1.250 s` when ticks are 1 ms apart, `12.34567 ms` at 10 ns.
 */
export function formatTimestamp(ns: Nanoseconds, resolution: Nanoseconds): string {
  const res = Math.max(1, Math.abs(resolution));
  const magnitude = Math.max(Math.abs(ns), res);
  const unit = UNITS.find((u) => magnitude >= u.size) ?? UNITS[UNITS.length - 1]!;
  const decimals = Math.max(0, Math.min(9, Math.ceil(Math.log10(unit.size / res) - 1e-9)));
  return `${(ns / unit.size).toFixed(decimals)} ${unit.name}`;
}

/** A sample's time as perf script prints it (seconds with microseconds), from profile start. */
export function formatSampleTime(ns: Nanoseconds): string {
  return `${(ns / 1e9).toFixed(6)}`;
}

/** The smallest step of the 1-2-5 series (in ns) that is at least `minimum`. */
export function niceTimeStep(minimum: Nanoseconds): Nanoseconds {
  // Nothing finer than a nanosecond: perf's clock does not have it.
  if (!(minimum > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(minimum));
  for (const m of [1, 2, 5, 10]) if (m * power >= minimum) return m * power;
  return 10 * power;
}
