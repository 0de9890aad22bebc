import { MergeStatus, type MergeSummary } from '../../shared/model';
import { RecordType } from '../perf-data/constants';
import type { CallchainDeferredRecord, KernelRecord, SampleRecord } from '../perf-data/records';
import type { Hold } from '../perf-data/ordered-queue';
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
 * Read buffers the waiting samples may keep from reuse (4 MB each): past that, the samples that
 * keep one are copied out and let them go, so samples that wait long (their record lost, or
 * never written) cannot pin the whole recording.
 */
const MAX_RETAINED_BUFFERS = 4;

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
  /** Per waiting sample, the read buffer it keeps (undefined: copied out of it). */
  private holds: (Hold | undefined)[] = [];
  /** Distinct buffers kept by the waiting samples (consecutive samples mostly share one). */
  private retained = 0;
  /** The buffer kept by the newest waiting sample that keeps one. */
  private newestHold: Hold | undefined;
  private waiting = 0;
  /** Merged chains are carved from shared slabs: one allocation per thousands of samples. */
  private readonly slab: WordSlab;
  /** The callchains of the samples waiting in the FIFO, copied out of the read buffer. */
  private readonly waitingChains = new WordSlab();
  private readonly retain: (() => Hold | undefined) | undefined;

  /**
   * `transient`: the output copies what it keeps, so a merged chain is valid only during its
   * `sample` call (like the records of a reader that reuses its buffers). `retain`: keeps the
   * read buffer of the sample being accepted (PerfDataReader.retainDelivered), so a waiting
   * sample is not copied out of it; without it, or when it returns nothing, it is.
   */
  constructor(
    private readonly merge: boolean,
    private readonly out: MergeOutput,
    { transient = false, retain }: { transient?: boolean; retain?: () => Hold | undefined } = {},
  ) {
    this.slab = new WordSlab(transient);
    this.retain = retain;
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
      else this.wait(r);
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

  /**
   * A deferred sample waits beyond its delivery: it keeps its read buffer (which the reader
   * would reuse) or is copied out of it.
   */
  private wait(r: SampleRecord): void {
    const hold = this.retain?.();
    if (!hold) detachSample(r.sample, this.waitingChains);
    else if (hold !== this.newestHold) {
      this.retained++;
      this.newestHold = hold;
    }
    this.fifo[this.waiting] = r;
    this.holds[this.waiting++] = hold;
    if (this.retained > MAX_RETAINED_BUFFERS) this.detachAll();
  }

  /** Copies every waiting sample out of its read buffer and lets the buffers go. */
  private detachAll(): void {
    for (let i = 0; i < this.waiting; i++) {
      const hold = this.holds[i];
      if (!hold) continue;
      detachSample(this.fifo[i]!.sample, this.waitingChains);
      this.holds[i] = undefined;
      hold.release();
    }
    this.retained = 0;
    this.newestHold = undefined;
  }

  private resolve(r: CallchainDeferredRecord): void {
    const tid = r.sid.tid;
    const { cookieLo, cookieHi } = r;
    let merged = 0;
    const fifo = this.fifo;
    const holds = this.holds;
    let kept = 0;
    let retained = 0;
    let last: Hold | undefined;
    const waiting = this.waiting;
    for (let i = 0; i < waiting; i++) {
      const q = fifo[i]!;
      const hold = holds[i];
      if (q.sample.tid !== tid) {
        if (hold && hold !== last) {
          retained++;
          last = hold;
        }
        holds[kept] = hold;
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
      hold?.release();
    }
    for (let i = kept; i < waiting; i++) {
      fifo[i] = undefined; // delivered: let them go
      holds[i] = undefined;
    }
    this.waiting = kept;
    this.retained = retained;
    this.newestHold = last;
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
      this.holds[i]?.release();
    }
    this.fifo = [];
    this.holds = [];
    this.waiting = 0;
    this.retained = 0;
    this.newestHold = undefined;
  }
}
