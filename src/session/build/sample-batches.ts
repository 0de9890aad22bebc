import type {
  CallchainDeferredRecord,
  CommRecord,
  MmapRecord,
  SampleRecord,
  TaskRecord,
} from '../perf-data/records';
import type { SampleRegs } from '../perf-data/sample';
import type { U64Words } from '../perf-data/u64';
import type { MergeStatus } from './deferred-merge';

/**
 * The load worker's output: what the pipeline delivers (samples with their merged chains, the
 * side-band records the process model needs, the CALLCHAIN_DEFERRED records the merge consumed),
 * in delivery order, packed into columns so a batch of thousands of samples crosses the thread
 * boundary as a few typed arrays.
 */
export type SideBandRecord = Omit<MmapRecord | CommRecord | TaskRecord, 'event'>;

export const ItemKind = { SAMPLE: 0, SIDE_BAND: 1, CONSUMED: 2 } as const;

export interface SampleBatch {
  kind: 'batch';
  length: number;
  /** Per item: ItemKind; side-band and consumed items index `records` / `consumed`. */
  item: Uint8Array;
  ref: Uint32Array;
  pid: Int32Array;
  tid: Int32Array;
  time: Float64Array;
  cpu: Int32Array;
  period: Float64Array;
  ip: Float64Array;
  misc: Uint16Array;
  event: Uint16Array;
  status: Uint8Array;
  /** Callchain words of item i: words[chainStart[i], chainStart[i] + chainLength[i]); -1 length: none. */
  chainStart: Uint32Array;
  chainLength: Int32Array;
  words: Uint32Array;
  /** DWARF samples: user registers and stack copies, by item index. */
  dwarf: Record<number, { regs: SampleRegs; stack: Uint8Array; dynSize: number }>;
  records: SideBandRecord[];
  consumed: {
    pid: number;
    tid: number;
    time: number;
    cookie: string;
    ipsStart: number;
    ipsLength: number;
    mergedInto: number;
  }[];
}

const CAPACITY = 8192;

/** Packs delivered items; hands a batch to `post` whenever it is full. */
export class BatchWriter {
  private b = BatchWriter.empty();
  private words = new Uint32Array(1 << 16);
  private wordCount = 0;

  /** The first batch is small: the session thread starts building (and loading symbols) early. */
  private limit = 512;

  constructor(private readonly post: (batch: SampleBatch) => void) {}

  private static empty(): SampleBatch {
    return {
      kind: 'batch',
      length: 0,
      item: new Uint8Array(CAPACITY),
      ref: new Uint32Array(CAPACITY),
      pid: new Int32Array(CAPACITY),
      tid: new Int32Array(CAPACITY),
      time: new Float64Array(CAPACITY),
      cpu: new Int32Array(CAPACITY),
      period: new Float64Array(CAPACITY),
      ip: new Float64Array(CAPACITY),
      misc: new Uint16Array(CAPACITY),
      event: new Uint16Array(CAPACITY),
      status: new Uint8Array(CAPACITY),
      chainStart: new Uint32Array(CAPACITY),
      chainLength: new Int32Array(CAPACITY),
      words: new Uint32Array(0),
      dwarf: {},
      records: [],
      consumed: [],
    };
  }

  private addWords(w: U64Words): number {
    if (this.wordCount + w.length > this.words.length) {
      const next = new Uint32Array(Math.max(this.words.length * 2, this.wordCount + w.length));
      next.set(this.words.subarray(0, this.wordCount));
      this.words = next;
    }
    const start = this.wordCount;
    this.words.set(w, start);
    this.wordCount += w.length;
    return start;
  }

  sample(r: SampleRecord, chain: U64Words | undefined, status: MergeStatus): void {
    const b = this.b;
    const i = b.length++;
    const s = r.sample;
    b.item[i] = ItemKind.SAMPLE;
    b.pid[i] = s.pid;
    b.tid[i] = s.tid;
    b.time[i] = s.time;
    b.cpu[i] = s.cpu;
    b.period[i] = s.period;
    b.ip[i] = s.ip;
    b.misc[i] = s.misc;
    b.event[i] = s.event.index;
    b.status[i] = status;
    if (chain) {
      b.chainStart[i] = this.addWords(chain);
      b.chainLength[i] = chain.length;
    } else b.chainLength[i] = -1;
    if (s.regsUser && s.stackUser) {
      const regs = { ...s.regsUser, values: s.regsUser.values.slice() };
      b.dwarf[i] = { regs, stack: s.stackUser.data.slice(), dynSize: s.stackUser.dynSize };
    }
    if (b.length === this.limit) this.flush();
  }

  sideBand(r: MmapRecord | CommRecord | TaskRecord): void {
    const b = this.b;
    const i = b.length++;
    const { event: _event, ...record } = r;
    b.item[i] = ItemKind.SIDE_BAND;
    b.ref[i] = b.records.push(record) - 1;
    if (b.length === this.limit) this.flush();
  }

  consumed(r: CallchainDeferredRecord, mergedInto: number): void {
    const b = this.b;
    const i = b.length++;
    b.item[i] = ItemKind.CONSUMED;
    const ipsStart = this.addWords(r.ips);
    b.ref[i] =
      b.consumed.push({
        pid: r.sid.pid,
        tid: r.sid.tid,
        time: r.sid.time,
        cookie: r.cookie.toString(16),
        ipsStart,
        ipsLength: r.ips.length,
        mergedInto,
      }) - 1;
    if (b.length === this.limit) this.flush();
  }

  flush(): void {
    const b = this.b;
    if (b.length === 0) return;
    b.words = this.words.slice(0, this.wordCount);
    this.post(b);
    this.limit = CAPACITY;
    this.b = BatchWriter.empty();
    this.wordCount = 0;
  }
}

/** Transfer list for postMessage: every column's buffer moves instead of being copied. */
export function batchTransfer(b: SampleBatch): ArrayBuffer[] {
  return [
    b.item,
    b.ref,
    b.pid,
    b.tid,
    b.time,
    b.cpu,
    b.period,
    b.ip,
    b.misc,
    b.event,
    b.status,
    b.chainStart,
    b.chainLength,
    b.words,
  ].map((a) => a.buffer as ArrayBuffer);
}
