/** What keeps a queued record's bytes alive (a pooled read buffer's lease). */
export interface Hold {
  hold(): void;
  release(): void;
}

/**
 * perf's ordered-events queue (tools/perf/util/ordered-events.c), reproduced exactly:
 *
 * - records with a timestamp are queued; the queue is a stable sort by time (equal times keep
 *   their arrival order);
 * - on PERF_RECORD_FINISHED_ROUND, every queued record with time <= `nextFlush` is delivered, then
 *   `nextFlush` becomes `maxTimestamp`: the flush lags one round behind, because a record of the
 *   next round may still be older than the newest one of this round;
 *   the round flush does nothing at all (not even advance `nextFlush`) when the queue is empty;
 * - `maxTimestamp` is the time of the last record that was queued at the tail of the queue
 *   (perf's queue_event), which is not always the largest time ever seen;
 * - at the end everything is delivered (OE_FLUSH__FINAL).
 *
 * Instead of perf's linked list we keep parallel arrays in arrival order (no object per record:
 * millions of queued samples would otherwise keep the garbage collector busy) and sort the
 * pending part (stable) only when a record arrived out of order: the delivered order is the same.
 */
export class OrderedQueue<T> {
  private times: number[] = [];
  private items: T[] = [];
  private holds: (Hold | undefined)[] = [];
  /**
   * Pending records are [head, end) of the arrays. Emptied, the queue keeps its arrays and starts
   * over at 0: a round's worth of pushes then writes in place instead of growing fresh arrays
   * (which cost more than the rest of queueing).
   */
  private head = 0;
  private end = 0;
  /** What sort() merges into (reused: a round's worth of fresh arrays per sort was garbage). */
  private spare: { times: number[]; items: T[]; holds: (Hold | undefined)[] } = {
    times: [],
    items: [],
    holds: [],
  };
  private sorted = true;
  private tailTime = -Infinity;
  private maxTimestamp = -Infinity;
  /** perf starts with next_flush = 0: nothing is delivered by the first round flush. */
  private nextFlush = -Infinity;
  /** Time of the last delivered record (perf's last_flush). */
  private lastFlush = -Infinity;
  /** Records queued older than an already delivered one (perf's nr_unordered_events). */
  unordered = 0;
  /** What keeps the record being delivered alive (during its delivery only). */
  delivering: Hold | undefined;

  /** `deliver` gets each record with its time (NaN for one delivered at once). */
  constructor(private readonly deliver: (item: T, time: number) => void) {}

  get size(): number {
    return this.end - this.head;
  }

  /** Queues `item`; `hold` (the read buffer it lives in) is released once it is delivered. */
  push(time: number, item: T, hold?: Hold): void {
    hold?.hold();
    if (time < this.lastFlush) this.unordered++;
    if (this.size === 0 || time >= this.tailTime) {
      this.tailTime = time;
      this.maxTimestamp = time;
    } else {
      this.sorted = false;
    }
    const at = this.end++;
    this.times[at] = time;
    this.items[at] = item;
    this.holds[at] = hold;
  }

  /** A record without a usable time: perf delivers it at once, ahead of anything queued. */
  deliverNow(item: T): void {
    this.deliver(item, NaN);
  }

  /** PERF_RECORD_FINISHED_ROUND. */
  flushRound(): void {
    if (this.size === 0) return;
    this.deliverUpTo(this.nextFlush);
    this.nextFlush = this.maxTimestamp;
  }

  /** OE_FLUSH__HALF: used only when the queue grows beyond memory bounds (no rounds in a file). */
  flushHalf(): void {
    if (this.size === 0) return;
    this.sort();
    const first = this.times[this.head]!;
    const last = this.times[this.end - 1]!;
    this.nextFlush = first + (last - first) / 2;
    this.deliverUpTo(this.nextFlush);
  }

  /** OE_FLUSH__FINAL. */
  flushAll(): void {
    this.deliverUpTo(Infinity);
  }

  /**
   * Stable sort of the pending records by time (ties keep their arrival order). Per-CPU buffers
   * arrive as a few ascending runs, so this merges runs (natural merge sort): linear for the
   * usual two or four runs.
   */
  private sort(): void {
    if (this.sorted) return;
    const n = this.end - this.head;
    let runs = [this.head];
    for (let i = this.head + 1; i < this.end; i++)
      if (this.times[i]! < this.times[i - 1]!) runs.push(i);
    runs.push(this.end);
    if (runs.length <= 2) {
      this.sorted = true;
      return;
    }
    // Merge passes between the queue's arrays and the spare ones (kept from sort to sort: fresh
    // arrays per pass were garbage as large as the round); the sorted records start at 0.
    let from = { times: this.times, items: this.items, holds: this.holds };
    let to = this.spare;
    let base = this.head;
    while (runs.length > 2) {
      const next = [0];
      for (let r = 0; r + 1 < runs.length; r += 2) {
        const lo = runs[r]!;
        const mid = runs[r + 1]!;
        const hi = runs[r + 2] ?? mid;
        let i = lo;
        let j = mid;
        let k = lo - base;
        while (i < mid && j < hi) {
          const at = from.times[j]! < from.times[i]! ? j++ : i++; // left wins ties: arrival order
          to.times[k] = from.times[at]!;
          to.items[k] = from.items[at]!;
          to.holds[k++] = from.holds[at];
        }
        for (; i < mid; i++, k++) {
          to.times[k] = from.times[i]!;
          to.items[k] = from.items[i]!;
          to.holds[k] = from.holds[i];
        }
        for (; j < hi; j++, k++) {
          to.times[k] = from.times[j]!;
          to.items[k] = from.items[j]!;
          to.holds[k] = from.holds[j];
        }
        next.push(hi - base);
      }
      // what the records were moved out of keeps no reference to them
      for (let i = runs[0]!; i < runs[runs.length - 1]!; i++) {
        from.items[i] = undefined as T;
        from.holds[i] = undefined;
      }
      [from, to] = [to, from];
      runs = next;
      base = 0;
    }
    this.times = from.times;
    this.items = from.items;
    this.holds = from.holds;
    this.spare = to;
    this.head = 0;
    this.end = n;
    this.sorted = true;
  }

  private deliverUpTo(limit: number): void {
    this.sort();
    const { times, items, holds } = this;
    const end = this.end;
    let i = this.head;
    while (i < end && times[i]! <= limit) {
      const time = times[i]!;
      this.lastFlush = time;
      const item = items[i]!;
      const hold = holds[i];
      items[i] = undefined as T; // delivered: let it go
      holds[i] = undefined;
      i++;
      this.head = i;
      this.delivering = hold;
      this.deliver(item, time);
      this.delivering = undefined;
      hold?.release();
    }
    if (this.head === end) {
      this.head = this.end = 0;
    } else if (this.head > 65536 && this.head * 2 > end) {
      this.times = times.slice(this.head, end);
      this.items = items.slice(this.head, end);
      this.holds = holds.slice(this.head, end);
      this.head = 0;
      this.end = end - i;
    }
  }
}
