import type { Profile } from '../../shared/model';

/** Per-stack sums of one event's samples: the shape the queries' stackSums() caches. */
export interface StackSums {
  period: Float64Array;
  /** Sample counts per stack and stored MergeStatus: `stack * 4 + status`. */
  counts: Uint32Array;
  totalPeriod: number;
  totalSamples: number;
}

const loaded = new WeakMap<Profile, readonly (StackSums | undefined)[]>();

/**
 * The sums of every sample of an event by stack, kept as the load stored them (index: event;
 * undefined: not kept). What the first view of a recording shows (every thread, merged, the
 * whole range) then needs no pass over its millions of samples after the load: the load adds
 * each one while it is at hand.
 */
export function loadSumsOf(profile: Profile): readonly (StackSums | undefined)[] | undefined {
  return loaded.get(profile);
}

/**
 * Events whose sums a load keeps: each costs 24 bytes a stack, as much as a query's own sums (a
 * recording of many events and millions of stacks would otherwise hold them all at once).
 */
const KEPT_EVENTS = 2;

/** Sums samples by event and stack as a load stores them (ModelBuilder.store). */
export class LoadSums {
  private readonly byEvent: (StackSums | undefined)[] = [];
  private kept = 0;
  /** The event of the previous sample and its sums (most recordings have one event). */
  private lastEvent = -1;
  private last: StackSums | undefined;

  /**
   * A stored sample of `event` with stack `stack` (not -1) and stored status `status` (0–3).
   * Periods are whole numbers (u64 fields): while a total stays below 2^53 every partial sum is
   * exact, so the sums equal those of a pass in any other order, as a query would make them.
   */
  add(event: number, stack: number, status: number, period: number): void {
    let sums = this.last;
    if (event !== this.lastEvent) {
      sums = this.last = this.byEvent[event] ?? this.start(event);
      this.lastEvent = event;
    }
    if (!sums) return;
    if (stack >= sums.period.length) this.grow(sums, stack);
    sums.period[stack] = sums.period[stack]! + period;
    const k = stack * 4 + status;
    sums.counts[k] = sums.counts[k]! + 1;
    sums.totalPeriod += period;
    sums.totalSamples++;
  }

  /** Keeps the sums with `profile`, sized to its `stacks` stacks. */
  finish(profile: Profile, stacks: number): void {
    const all = this.byEvent.map((sums) => {
      if (!sums || sums.totalPeriod > Number.MAX_SAFE_INTEGER) return undefined;
      if (sums.period.length < stacks) this.grow(sums, stacks - 1);
      return {
        period: sums.period.subarray(0, stacks),
        counts: sums.counts.subarray(0, 4 * stacks),
        totalPeriod: sums.totalPeriod,
        totalSamples: sums.totalSamples,
      };
    });
    loaded.set(profile, all);
  }

  /** The sums of an event met for the first time; undefined past KEPT_EVENTS. */
  private start(event: number): StackSums | undefined {
    if (this.kept === KEPT_EVENTS) return undefined;
    this.kept++;
    const sums = {
      period: new Float64Array(1024),
      counts: new Uint32Array(4096),
      totalPeriod: 0,
      totalSamples: 0,
    };
    this.byEvent[event] = sums;
    return sums;
  }

  /** Room for stack `stack`. */
  private grow(sums: StackSums, stack: number): void {
    const capacity = Math.max(2 * sums.period.length, stack + 1);
    const period = new Float64Array(capacity);
    period.set(sums.period);
    const counts = new Uint32Array(4 * capacity);
    counts.set(sums.counts);
    sums.period = period;
    sums.counts = counts;
  }
}
