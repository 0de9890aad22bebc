import type { DeferredRecordTable, Nanoseconds, SampleTable } from '../../shared/model';

/**
 * How much of the recording has been read (0 to 1), shared by a model's table builders: a thread's
 * rows so far over it project the rows the thread will have, so its columns grow once to about
 * that size instead of several times.
 */
export interface ReadShare {
  fraction: number;
}

/**
 * One thread's sample table while the model is built. Every column is its own typed-array field
 * written at its own site, so each store stays monomorphic: a generic Growable shared by five
 * element kinds makes V8 fall back to megamorphic stores, 3–4× slower on the per-sample path.
 */
export class SampleTableBuilder {
  constructor(private readonly read?: ReadShare) {}

  length = 0;
  time = new Float64Array(1024);
  stack = new Int32Array(1024);
  /**
   * The stacks as recorded; undefined while each is its merged stack (a recording without
   * deferred samples), and the table's column is then `stack` itself: 4 bytes a sample, and
   * their first-touch page faults, saved.
   */
  rawStack: Int32Array | undefined;
  cpu = new Int32Array(1024);
  period = new Float64Array(1024);
  event = new Uint16Array(1024);
  status = new Uint8Array(1024);

  add(
    time: number,
    stack: number,
    rawStack: number,
    cpu: number,
    period: number,
    event: number,
    status: number,
  ): void {
    const i = this.length;
    if (i === this.time.length) this.grow(grownCapacity(i, this.read?.fraction));
    this.time[i] = time;
    this.stack[i] = stack;
    if (this.rawStack) this.rawStack[i] = rawStack;
    else if (rawStack !== stack) this.splitRawStack(rawStack);
    this.cpu[i] = cpu;
    this.period[i] = period;
    this.event[i] = event;
    this.status[i] = status;
    this.length = i + 1;
  }

  /**
   * Cuts every column to `length` as a view, not a copy: the growth slack past `length` was
   * never written, so it holds no memory, and copying would touch every page a second time
   * (first touches of fresh pages cost more than the copy itself).
   */
  trim(): void {
    const n = this.length;
    this.time = this.time.subarray(0, n);
    this.stack = this.stack.subarray(0, n);
    this.rawStack = this.rawStack?.subarray(0, n);
    this.cpu = this.cpu.subarray(0, n);
    this.period = this.period.subarray(0, n);
    this.event = this.event.subarray(0, n);
    this.status = this.status.subarray(0, n);
  }

  /**
   * The table, sorted by time (deferred samples arrive late; the sort is stable), with times
   * relative to the profile's `start`. The builder's columns are reused: it is done after this.
   */
  finish(start: Nanoseconds): SampleTable {
    this.trim();
    const n = this.length;
    const time = this.time;
    let order: Uint32Array | undefined;
    for (let i = 1; i < n; i++) {
      if (time[i]! < time[i - 1]!) {
        order = Uint32Array.from({ length: n }, (_, k) => k).sort(
          (a, b) => time[a]! - time[b]! || a - b,
        );
        break;
      }
    }
    const sorted = order ? inOrder(time, new Float64Array(n), order) : time;
    for (let i = 0; i < n; i++) sorted[i] = sorted[i]! - start;
    const stack = order ? inOrder(this.stack, new Int32Array(n), order) : this.stack;
    const raw = this.rawStack;
    return {
      length: n,
      time: sorted,
      stack,
      rawStack: !raw ? stack : order ? inOrder(raw, new Int32Array(n), order) : raw,
      cpu: order ? inOrder(this.cpu, new Int32Array(n), order) : this.cpu,
      period: order ? inOrder(this.period, new Float64Array(n), order) : this.period,
      event: order ? inOrder(this.event, new Uint16Array(n), order) : this.event,
      status: order ? inOrder(this.status, new Uint8Array(n), order) : this.status,
    };
  }

  /** The first sample whose recorded stack is not its merged one: the column starts here. */
  private splitRawStack(rawStack: number): void {
    const n = this.length;
    this.rawStack = resized(this.stack, new Int32Array(this.stack.length), n);
    this.rawStack[n] = rawStack;
  }

  private grow(capacity: number): void {
    const n = this.length;
    this.time = resized(this.time, new Float64Array(capacity), n);
    this.stack = resized(this.stack, new Int32Array(capacity), n);
    if (this.rawStack) this.rawStack = resized(this.rawStack, new Int32Array(capacity), n);
    this.cpu = resized(this.cpu, new Int32Array(capacity), n);
    this.period = resized(this.period, new Float64Array(capacity), n);
    this.event = resized(this.event, new Uint16Array(capacity), n);
    this.status = resized(this.status, new Uint8Array(capacity), n);
  }
}

/** A thread's consumed CALLCHAIN_DEFERRED records (kept for the merging-off view). */
export class DeferredRecordTableBuilder {
  constructor(private readonly read?: ReadShare) {}

  length = 0;
  time = new Float64Array(16);
  stack = new Int32Array(16);
  mergedInto = new Uint32Array(16);
  cookieLo = new Uint32Array(16);
  cookieHi = new Uint32Array(16);

  add(time: number, stack: number, mergedInto: number, cookieLo: number, cookieHi: number): void {
    const i = this.length;
    if (i === this.time.length) this.grow(grownCapacity(i, this.read?.fraction));
    this.time[i] = time;
    this.stack[i] = stack;
    this.mergedInto[i] = mergedInto;
    this.cookieLo[i] = cookieLo;
    this.cookieHi[i] = cookieHi;
    this.length = i + 1;
  }

  /** As SampleTableBuilder.trim(). */
  trim(): void {
    const n = this.length;
    this.time = this.time.subarray(0, n);
    this.stack = this.stack.subarray(0, n);
    this.mergedInto = this.mergedInto.subarray(0, n);
    this.cookieLo = this.cookieLo.subarray(0, n);
    this.cookieHi = this.cookieHi.subarray(0, n);
  }

  /** The table, times relative to the profile's `start` (records come in perf's time order). */
  finish(start: Nanoseconds): DeferredRecordTable {
    this.trim();
    for (let i = 0; i < this.length; i++) this.time[i] = this.time[i]! - start;
    return {
      length: this.length,
      time: this.time,
      stack: this.stack,
      cookieLo: this.cookieLo,
      cookieHi: this.cookieHi,
      mergedInto: this.mergedInto,
    };
  }

  private grow(capacity: number): void {
    const n = this.length;
    this.time = resized(this.time, new Float64Array(capacity), n);
    this.stack = resized(this.stack, new Int32Array(capacity), n);
    this.mergedInto = resized(this.mergedInto, new Uint32Array(capacity), n);
    this.cookieLo = resized(this.cookieLo, new Uint32Array(capacity), n);
    this.cookieHi = resized(this.cookieHi, new Uint32Array(capacity), n);
  }
}

/**
 * The next capacity of a column of `n` rows: past 64 k rows, the rows projected from the share
 * of the recording read so far (with a margin; at most 64 times as many), and at least four times
 * as many. The slack past `length` is never written, so it costs address space, not memory; each
 * regrowth copies into fresh pages, and first touches of fresh pages are what costs (doubling to a
 * 2.5 M-sample thread spent 0.5 s of a 3 s load in the copies).
 */
export function grownCapacity(n: number, readFraction = 0): number {
  if (n < 1 << 16) return 2 * n;
  const projected = readFraction > 0 ? Math.ceil((1.25 * n) / readFraction) : 0;
  return Math.max(4 * n, Math.min(projected, 64 * n));
}

function resized<T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(
  from: T,
  to: T,
  n: number,
): T {
  to.set(from.subarray(0, n) as never);
  return to;
}

/** `from` permuted by `order` into `to`. */
function inOrder<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(
  from: T,
  to: T,
  order: Uint32Array,
): T {
  for (let i = 0; i < order.length; i++) to[i] = from[order[i]!]!;
  return to;
}
