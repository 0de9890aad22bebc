import { MergeStatus, type MergeSummary } from '../../shared/model';
import { RecordType } from '../perf-data/constants';
import type { CallchainDeferredRecord, KernelRecord, SampleRecord } from '../perf-data/records';
import { detachSample } from '../perf-data/sample';
import { WordSlab, wordsLength, type U64Words } from '../perf-data/u64';

// The merge's verdict per sample is the model's MergeStatus (one enum for merge, model and
// contract); re-exported for the merge's consumers.
export { MergeStatus };

/** The merge counters (the summary's shape: the model keeps them as they are). */
export type MergeStats = MergeSummary;

export function emptyMergeStats(): MergeStats {
  return {
    deferredSamples: 0,
    merged: 0,
    unmergedCookieMismatch: 0,
    unmergedEndOfSession: 0,
    deferredRecords: 0,
    recordsSharedBySeveralSamples: 0,
    recordsMatchingNothing: 0,
  };
}

export interface MergeOutput {
  /** Every sample, once, in perf 6.19's delivery order, with the callchain to use. */
  sample(record: SampleRecord, callchain: U64Words | undefined, status: MergeStatus): void;
  /**
   * A merged sample with its chain in two parts, the first `head` words (u32) of the sample's own
   * callchain, then `ips`: when given, it replaces sample() for merged samples, so an output that
   * only numbers chains never builds the merged one.
   */
  merged?(record: SampleRecord, head: number, ips: U64Words): void;
  /** A type-22 record, delivered only when merging is off. */
  deferred?(record: CallchainDeferredRecord): void;
  /** A type-22 record consumed by the merge, with the number of samples it merged into. */
  consumed?(record: CallchainDeferredRecord, mergedInto: number): void;
  /** Every other record, in order. */
  other(record: KernelRecord): void;
  /** The session ends: called once by finish(), before the samples still queued come out. */
  endOfSession?(): void;
}

/**
 * The deferred-callchain merge of perf 6.19 (util/session.c, machines__deliver_event and
 * evlist__deliver_deferred_callchain), applied to records already in perf's time order:
 *
 * 1. a deferred sample is held back in a FIFO;
 * 2. a CALLCHAIN_DEFERRED record walks the FIFO in order: samples of other tids stay; a sample of
 *    the same tid is delivered, merged when the cookie matches, unmerged otherwise. Only the tid
 *    is compared: not pid, cpu, time or event;
 * 3. merged chain = the sample's entries except the trailing cookie (so the USER_DEFERRED marker
 *    stays and plays the role of PERF_CONTEXT_USER), then the record's ips;
 * 4. at the end of the session everything still queued is delivered unmerged.
 */
export class DeferredMerger {
  readonly stats = emptyMergeStats();
  /** The samples waiting for their record: fifo[0, waiting) (the array is reused, not resized). */
  private fifo: (SampleRecord | undefined)[] = [];
  private waiting = 0;
  /** Merged chains are carved from shared slabs: one allocation per thousands of samples. */
  private readonly slab: WordSlab;
  /** The callchains of the samples waiting in the FIFO, copied out of the read buffer. */
  private readonly waitingChains = new WordSlab();

  /**
   * `transient`: the output copies what it keeps, so a merged chain is valid only during its
   * `sample` call (like the records of a reader that reuses its buffers).
   */
  constructor(
    private readonly merge: boolean,
    private readonly out: MergeOutput,
    { transient = false } = {},
  ) {
    this.slab = new WordSlab(transient);
  }

  accept(r: KernelRecord): void {
    if (r.type === RecordType.SAMPLE) {
      const s = r.sample;
      if (!s.deferred) {
        this.out.sample(r, s.callchain, MergeStatus.CLASSIC);
        return;
      }
      this.stats.deferredSamples++;
      if (!this.merge) this.out.sample(r, s.callchain, MergeStatus.DEFERRED_RAW);
      else {
        // kept beyond its delivery: out of the read buffer, which the reader reuses
        detachSample(s, this.waitingChains);
        this.fifo[this.waiting++] = r;
      }
      return;
    }
    if (r.type === RecordType.CALLCHAIN_DEFERRED) {
      this.stats.deferredRecords++;
      if (!this.merge) {
        this.out.deferred?.(r);
        return;
      }
      this.resolve(r);
      return;
    }
    this.out.other(r);
  }

  private resolve(r: CallchainDeferredRecord): void {
    const tid = r.sid.tid;
    const { cookieLo, cookieHi } = r;
    let merged = 0;
    const fifo = this.fifo;
    let kept = 0;
    const waiting = this.waiting;
    for (let i = 0; i < waiting; i++) {
      const q = fifo[i]!;
      if (q.sample.tid !== tid) {
        fifo[kept++] = q;
        continue;
      }
      const chain = q.sample.callchain!;
      const n = wordsLength(chain);
      if (chain[2 * (n - 1)] === cookieLo && chain[2 * (n - 1) + 1] === cookieHi && n >= 2) {
        merged++;
        this.stats.merged++;
        if (this.out.merged) this.out.merged(q, 2 * (n - 1), r.ips);
        else this.out.sample(q, this.slab.concat(chain, n - 1, r.ips), MergeStatus.MERGED);
      } else {
        this.stats.unmergedCookieMismatch++;
        this.out.sample(q, chain, MergeStatus.UNMERGED_COOKIE_MISMATCH);
      }
    }
    for (let i = kept; i < waiting; i++) fifo[i] = undefined; // delivered: let them go
    this.waiting = kept;
    this.out.consumed?.(r, merged);
    if (merged === 0) this.stats.recordsMatchingNothing++;
    else if (merged >= 2) this.stats.recordsSharedBySeveralSamples++;
  }

  /**
   * End of the session (perf 6.19's session__flush_deferred_samples): samples still waiting are
   * delivered unmerged, in queue order.
   */
  finish(): void {
    this.out.endOfSession?.();
    for (let i = 0; i < this.waiting; i++) {
      const q = this.fifo[i]!;
      this.stats.unmergedEndOfSession++;
      this.out.sample(q, q.sample.callchain, MergeStatus.UNMERGED_END_OF_SESSION);
    }
    this.fifo = [];
    this.waiting = 0;
  }
}
