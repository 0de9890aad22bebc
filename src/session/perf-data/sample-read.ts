import { SampleType } from './constants';
import type { EventList } from './evlist';
import type { SampleRecord } from './records';

/**
 * perf's evlist__deliver_sample for samples with PERF_SAMPLE_READ (leader sampling, `-e
 * '{a,b}:S'`, or one event with `:S`): instead of the sample itself, one sample per read value,
 * of the event that owns the value's id, with the change of that counter since the previous
 * sample of the same id as its period (deliver_sample_group / deliver_sample_value, perf 6.1).
 * Values of unknown ids (or without ids) are counted and dropped, and so are zero changes.
 *
 * perf keeps the previous value per id (sid->period, starting at 0) and subtracts in u64:
 * inherited counters share their parent's id, so when another thread's counter comes next the
 * change is negative and perf prints it as a huge u64. The period is then negative here (the
 * int64 reading of perf's u64); `u64PeriodText` prints it as perf does.
 */
export class SampleReadDelivery {
  /** perf's sid->period: the last value seen per id. */
  private readonly last = new Map<number, number>();
  /** Values whose id names no event (perf's nr_unknown_id). */
  unknownIds = 0;

  constructor(private readonly events: EventList) {}

  /** Whether `r` is delivered as other samples (its read values'); else it is delivered as is. */
  splits(r: SampleRecord): boolean {
    const s = r.sample;
    return (s.event.attr.sampleType & SampleType.READ) !== 0 && s.read !== undefined;
  }

  /** Calls `deliver` once per sample perf would deliver for `r` (once, unchanged, without READ). */
  deliver(r: SampleRecord, deliver: (member: SampleRecord) => void): void {
    if (!this.splits(r)) {
      deliver(r);
      return;
    }
    const s = r.sample;
    for (const v of s.read!.values) {
      if (v.id === undefined) {
        this.unknownIds++;
        continue;
      }
      const event = this.events.byIdOrUndefined(v.id);
      const period = v.value - (this.last.get(v.id) ?? 0);
      this.last.set(v.id, v.value);
      if (!event) {
        this.unknownIds++;
        continue;
      }
      // "There's no reason to deliver sample for zero period, bail out."
      if (period === 0) continue;
      deliver({ ...r, sample: { ...s, event, id: v.id, period } });
    }
  }
}

const TWO_64 = 1n << 64n;

/** A period as perf prints it (PRIu64): a negative period is a u64 that wrapped (see above). */
export function u64PeriodText(period: number): string {
  return period < 0 ? (TWO_64 + BigInt(period)).toString() : String(period);
}

/** A period as the double perf computes percentages with ((double) of the u64). */
export function u64PeriodValue(period: number): number {
  return period < 0 ? 2 ** 64 + period : period;
}

/** 1 when `a > b` as perf's u64 periods compare, -1 when less, 0 when equal. */
export function compareU64Periods(a: number, b: number): number {
  if (a === b) return 0;
  // a wrapped (negative) period is a u64 above every unwrapped one
  if (a < 0 !== b < 0) return a < 0 ? 1 : -1;
  return a > b ? 1 : -1;
}
