import { MergeStatus, type MergeSummary } from '../../shared/model';
import { RecordType } from '../perf-data/constants';
import {
  deferredRecordCookieHi,
  deferredRecordCookieLo,
  deferredRecordIpsFrom,
  deferredRecordIpsLength,
  deferredRecordTid,
  type CallchainDeferredRecord,
  type KernelRecord,
  type SampleRecord,
} from '../perf-data/records';
import type { Hold } from '../perf-data/ordered-queue';
import { ChunkLease } from '../perf-data/byte-window';
import type { EventDesc } from '../perf-data/evlist';
import { detachSample, plainSampleNr, plainSampleTid } from '../perf-data/sample';
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
  /**
   * A deferred sample handed over in place (acceptPlain: PerfDataReader's plainSamples),
   * delivered with its own callchain; required with acceptPlain.
   */
  plain?(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    status: MergeStatus,
  ): void;
  /**
   * merged() of a sample handed over in place, its record's ips `ipsLength` words of `ips` from
   * word `ipsFrom` (no view made per record; `ipsWide`: `ips` as float64s, when the record was
   * read in place too); required with acceptPlain.
   */
  plainMerged?(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    head: number,
    ips: U64Words,
    ipsFrom: number,
    ipsLength: number,
    ipsWide: Float64Array | undefined,
  ): void;
  /** A type-22 record, delivered only when merging is off. */
  deferred?(record: CallchainDeferredRecord): void;
  /**
   * consumed() of a record handed over in place (acceptPlainRecord): records.ts's deferredRecord*
   * functions read its fields.
   */
  consumedPlain?(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    mergedInto: number,
  ): void;
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

/** The words of `chain` before its last entry when that entry is the cookie (lo, hi), else -1. */
function headBefore(chain: U64Words, lo: number, hi: number): number {
  const n = wordsLength(chain);
  return n >= 2 && chain[2 * (n - 1)] === lo && chain[2 * (n - 1) + 1] === hi ? 2 * (n - 1) : -1;
}

/**
 * A deferred plain sample waiting where it lies: its record at byte `record` of `lease`'s buffer
 * (held, or a copy of the record's own), with the event and time the reader found.
 */
class PlacedSample {
  constructor(
    public lease: ChunkLease,
    public record: number,
    readonly event: EventDesc,
    readonly time: number,
  ) {}

  get tid(): number {
    return plainSampleTid(this.lease.view, this.record + 8, this.event.plainSample!);
  }

  /** headBefore() of its callchain, read where it lies. */
  headBefore(lo: number, hi: number): number {
    const l = this.event.plainSample!;
    const v = this.lease.view;
    const at = this.record + 8;
    const n = plainSampleNr(v, at, l);
    const cookie = at + l.fixed + 8 * (n - 1);
    return n >= 2 && v.getUint32(cookie, true) === lo && v.getUint32(cookie + 4, true) === hi
      ? 2 * (n - 1)
      : -1;
  }

  /** Copies the record out of the read buffer (which can then be reused). */
  detach(): void {
    const v = this.lease.view;
    const size = v.getUint16(this.record + 6, true);
    const copy = new Uint8Array(size);
    copy.set(new Uint8Array(v.buffer, v.byteOffset + this.record, size));
    this.lease = new ChunkLease(copy);
    this.record = 0;
  }
}

type Waiting = SampleRecord | PlacedSample;

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
  private fifo: (Waiting | undefined)[] = [];
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
   * A deferred plain sample handed over in place by the reader (PerfDataReader's plainSamples
   * with plainDeferred), during its delivery: accept() without a record object.
   */
  acceptPlain(lease: ChunkLease, record: number, event: EventDesc, time: number): void {
    this.stats.deferredSamples++;
    if (!this.merge) this.out.plain!(lease, record, event, time, MergeStatus.DEFERRED_RAW);
    else this.wait(new PlacedSample(lease, record, event, time));
  }

  /**
   * A deferred sample waits beyond its delivery: it keeps its read buffer (which the reader
   * would reuse) or is copied out of it.
   */
  private wait(r: Waiting): void {
    const hold = this.retain?.();
    if (!hold) this.detach(r);
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
      this.detach(this.fifo[i]!);
      this.holds[i] = undefined;
      hold.release();
    }
    this.retained = 0;
    this.newestHold = undefined;
  }

  /** A waiting sample delivered with its own callchain, unmerged for `status`. */
  private unmerged(q: Waiting, status: MergeStatus): void {
    if (q instanceof PlacedSample) this.out.plain!(q.lease, q.record, q.event, q.time, status);
    else this.out.sample(q, q.sample.callchain, status);
  }

  private detach(r: Waiting): void {
    if (r instanceof PlacedSample) r.detach();
    else detachSample(r.sample, this.waitingChains);
  }

  /**
   * A CALLCHAIN_DEFERRED record handed over in place by the reader (PerfDataReader's
   * deferredRecords), during its delivery: accept() without a record object. Merging only.
   */
  acceptPlainRecord(lease: ChunkLease, record: number, event: EventDesc, time: number): void {
    this.stats.deferredRecords++;
    if (!this.merge) throw new Error('CALLCHAIN_DEFERRED records read in place need merging on');
    const v = lease.view;
    const merged = this.resolveCookie(
      deferredRecordTid(v, record, event),
      deferredRecordCookieLo(v, record),
      deferredRecordCookieHi(v, record),
      lease.words,
      deferredRecordIpsFrom(record),
      deferredRecordIpsLength(v, record),
      lease.wide,
    );
    this.out.consumedPlain?.(lease, record, event, time, merged);
    this.countRecord(merged);
  }

  private resolve(r: CallchainDeferredRecord): void {
    const merged = this.resolveCookie(r.sid.tid, r.cookieLo, r.cookieHi, r.ips, 0, r.ips.length);
    this.out.consumed?.(r, merged);
    this.countRecord(merged);
  }

  private countRecord(merged: number): void {
    if (merged === 0) this.stats.recordsMatchingNothing++;
    else if (merged >= 2) this.stats.recordsSharedBySeveralSamples++;
  }

  /**
   * The waiting samples of thread `tid` come out, merged with the record's ips (`ipsLength`
   * words of `ips` from `ipsFrom`) when their cookie is (`cookieLo`, `cookieHi`), unmerged
   * otherwise: how many merged.
   */
  private resolveCookie(
    tid: number,
    cookieLo: number,
    cookieHi: number,
    ips: U64Words,
    ipsFrom: number,
    ipsLength: number,
    ipsWide?: Float64Array,
  ): number {
    let merged = 0;
    // the ips as a view of their own, for samples that are records (made at most once)
    let view: U64Words | undefined;
    const fifo = this.fifo;
    const holds = this.holds;
    let kept = 0;
    let retained = 0;
    let last: Hold | undefined;
    const waiting = this.waiting;
    for (let i = 0; i < waiting; i++) {
      const q = fifo[i]!;
      const hold = holds[i];
      const placed = q instanceof PlacedSample;
      if ((placed ? q.tid : q.sample.tid) !== tid) {
        if (hold && hold !== last) {
          retained++;
          last = hold;
        }
        holds[kept] = hold;
        fifo[kept++] = q;
        continue;
      }
      const head = placed
        ? q.headBefore(cookieLo, cookieHi)
        : headBefore(q.sample.callchain!, cookieLo, cookieHi);
      if (head >= 0) {
        merged++;
        this.stats.merged++;
        if (placed) {
          const { lease, record, event, time } = q;
          this.out.plainMerged!(lease, record, event, time, head, ips, ipsFrom, ipsLength, ipsWide);
        } else {
          view ??=
            ipsFrom === 0 && ipsLength === ips.length
              ? ips
              : ips.subarray(ipsFrom, ipsFrom + ipsLength);
          if (this.out.merged) this.out.merged(q, head, view);
          else {
            const chain = this.slab.concat(q.sample.callchain!, head >>> 1, view);
            this.out.sample(q, chain, MergeStatus.MERGED);
          }
        }
      } else {
        this.stats.unmergedCookieMismatch++;
        this.unmerged(q, MergeStatus.UNMERGED_COOKIE_MISMATCH);
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
    return merged;
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
      this.unmerged(q, MergeStatus.UNMERGED_END_OF_SESSION);
      this.holds[i]?.release();
    }
    this.fifo = [];
    this.holds = [];
    this.waiting = 0;
    this.retained = 0;
    this.newestHold = undefined;
  }
}
