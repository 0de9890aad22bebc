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
 * Instead of perf's linked list we keep an array in arrival order and sort it (stable) only when a
 * record arrived out of order: the delivered order is the same.
 */
export class OrderedQueue<T> {
  private items: { time: number; item: T; hold: Hold | undefined }[] = [];
  private head = 0;
  private sorted = true;
  private tailTime = -Infinity;
  private maxTimestamp = -Infinity;
  /** perf starts with next_flush = 0: nothing is delivered by the first round flush. */
  private nextFlush = -Infinity;
  /** Time of the last delivered record (perf's last_flush). */
  private lastFlush = -Infinity;
  /** Records queued older than an already delivered one (perf's nr_unordered_events). */
  unordered = 0;

  constructor(private readonly deliver: (item: T) => void) {}

  get size(): number {
    return this.items.length - this.head;
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
    this.items.push({ time, item, hold });
  }

  /** A record without a usable time: perf delivers it at once, ahead of anything queued. */
  deliverNow(item: T): void {
    this.deliver(item);
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
    const first = this.items[this.head]!.time;
    const last = this.items[this.items.length - 1]!.time;
    this.nextFlush = first + (last - first) / 2;
    this.deliverUpTo(this.nextFlush);
  }

  /** OE_FLUSH__FINAL. */
  flushAll(): void {
    this.deliverUpTo(Infinity);
  }

  private sort(): void {
    if (this.sorted) return;
    const rest = this.items.slice(this.head);
    rest.sort((a, b) => a.time - b.time); // Array.prototype.sort is stable
    this.items = rest;
    this.head = 0;
    this.sorted = true;
  }

  private deliverUpTo(limit: number): void {
    this.sort();
    const items = this.items;
    let i = this.head;
    while (i < items.length && items[i]!.time <= limit) {
      const e = items[i]!;
      this.lastFlush = e.time;
      i++;
      this.head = i;
      this.deliver(e.item);
      e.hold?.release();
    }
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 65536 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }
}
