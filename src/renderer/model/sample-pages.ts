import type { SamplePage, SampleRow } from '../../shared/contract';
import type { Nanoseconds } from '../../shared/model';

/** Rows per request: a few screens' worth. */
export const SAMPLE_PAGE_SIZE = 200;
/** Pages kept in memory (the rest are fetched again when scrolled back to). */
const MAX_CACHED_PAGES = 100;
/** Pages requested at once; further ones wait (fast scrolling skips most of them). */
const MAX_PAGES_IN_FLIGHT = 4;

export type DeferredRecord = NonNullable<SamplePage['deferredRecords']>[number];

export type FetchPage = (offset: number, limit: number, signal: AbortSignal) => Promise<SamplePage>;

interface Page {
  rows: SampleRow[];
  /** Time of the sample after the page's last one (Infinity at the end). */
  nextTime: Nanoseconds;
}

/**
 * A thread's sample list, fetched a page at a time as it scrolls into view. Each page asks for
 * one extra row so the time of the following sample is known: with merging off, the deferred
 * records between two samples are shown after the first of them.
 */
export class SamplePageCache {
  total: number | undefined;
  deferredRecords: readonly DeferredRecord[] | undefined;
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Map<number, AbortController>();
  private wanted: number[] = [];
  private disposed = false;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly onChange: () => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Learns the total (and the deferred records) with an empty first request. */
  async start(): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(-1, controller);
    try {
      const head = await this.fetchPage(0, SAMPLE_PAGE_SIZE + 1, controller.signal);
      if (this.disposed) return;
      this.total = head.total;
      this.deferredRecords = head.deferredRecords;
      this.store(0, head);
      this.onChange();
    } catch (e) {
      if (!this.disposed && !controller.signal.aborted) this.onError(e);
    } finally {
      this.inFlight.delete(-1);
    }
  }

  row(index: number): SampleRow | undefined {
    return this.pages.get(Math.floor(index / SAMPLE_PAGE_SIZE))?.rows[index % SAMPLE_PAGE_SIZE];
  }

  /** Time of the sample after `index`: Infinity after the last, undefined when not loaded. */
  nextTime(index: number): Nanoseconds | undefined {
    const page = this.pages.get(Math.floor(index / SAMPLE_PAGE_SIZE));
    if (!page) return undefined;
    const within = (index % SAMPLE_PAGE_SIZE) + 1;
    return within < page.rows.length ? page.rows[within]!.time : page.nextTime;
  }

  /** Makes sure rows [first, last] get loaded; drops requests for pages no longer wanted. */
  ensure(first: number, last: number): void {
    if (this.total === undefined || this.disposed) return;
    const lastPage = Math.floor(Math.min(last, this.total - 1) / SAMPLE_PAGE_SIZE);
    const firstPage = Math.max(0, Math.floor(first / SAMPLE_PAGE_SIZE));
    const wanted: number[] = [];
    for (let p = firstPage; p <= lastPage; p++) wanted.push(p);
    this.wanted = wanted;
    for (const [page, controller] of this.inFlight) {
      if (page >= 0 && (page < firstPage - 1 || page > lastPage + 1)) {
        controller.abort();
        this.inFlight.delete(page);
      }
    }
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  private pump(): void {
    for (const page of this.wanted) {
      if (this.inFlight.size >= MAX_PAGES_IN_FLIGHT) return;
      if (this.pages.has(page) || this.inFlight.has(page)) continue;
      void this.load(page);
    }
  }

  private async load(page: number): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(page, controller);
    try {
      const answer = await this.fetchPage(
        page * SAMPLE_PAGE_SIZE,
        SAMPLE_PAGE_SIZE + 1,
        controller.signal,
      );
      if (this.disposed || controller.signal.aborted) return;
      this.store(page, answer);
      this.onChange();
    } catch (e) {
      if (!this.disposed && !controller.signal.aborted) this.onError(e);
    } finally {
      if (this.inFlight.get(page) === controller) this.inFlight.delete(page);
      if (!this.disposed) this.pump();
    }
  }

  private store(page: number, answer: SamplePage): void {
    const extra = answer.rows[SAMPLE_PAGE_SIZE];
    this.pages.set(page, {
      rows: answer.rows.slice(0, SAMPLE_PAGE_SIZE),
      nextTime: extra ? extra.time : Infinity,
    });
    // Forget the pages farthest from this one once there are too many.
    if (this.pages.size > MAX_CACHED_PAGES) {
      const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
      for (const p of far.slice(0, this.pages.size - MAX_CACHED_PAGES)) this.pages.delete(p);
    }
  }
}

/** First index in `records` (sorted by time) whose time is at least `time`. */
function firstAtOrAfter(records: readonly DeferredRecord[], time: Nanoseconds): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The deferred records shown after sample row `index` (time `time`): those up to the next
 * sample. Row 0 also takes the records before it, so none is left out.
 */
export function recordsAfterRow(
  records: readonly DeferredRecord[],
  index: number,
  time: Nanoseconds,
  nextTime: Nanoseconds,
): readonly DeferredRecord[] {
  const from = index === 0 ? 0 : firstAtOrAfter(records, time);
  const to = firstAtOrAfter(records, nextTime);
  return to > from ? records.slice(from, to) : [];
}
