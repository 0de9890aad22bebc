import type {
  CallchainDeferredRecord,
  CommRecord,
  LostRecord,
  LostSamplesRecord,
  MmapRecord,
  SampleRecord,
  SwitchRecord,
  TaskRecord,
} from '../perf-data/records';
import type { TraceFacts } from './trace-facts';
import type { SampleRegs } from '../perf-data/sample';
import type { U64Words } from '../perf-data/u64';
import { ChainInterner } from './chain-interner';
import type { MergeStatus } from '../merge/deferred-merge';

/**
 * The load worker's output: what the pipeline delivers (samples with their merged chains, the
 * side-band records the process model needs, the CALLCHAIN_DEFERRED records the merge consumed),
 * in delivery order, packed into columns so a batch of thousands of samples crosses the thread
 * boundary as a few typed arrays.
 */
export type SideBandRecord = Omit<MmapRecord | CommRecord | TaskRecord, 'event'>;

/**
 * END_OF_SESSION: the merge's end-of-session flush starts (the samples after it are flushed).
 * TIMELINE: a SWITCH, SWITCH_CPU_WIDE, LOST or LOST_SAMPLES record (see BatchWriter.timeline).
 */
export const ItemKind = {
  SAMPLE: 0,
  SIDE_BAND: 1,
  CONSUMED: 2,
  END_OF_SESSION: 3,
  TIMELINE: 4,
} as const;

export interface SampleBatch {
  kind: 'batch';
  length: number;
  /**
   * Per item: ItemKind. Side-band items index `records` by `ref`. Consumed CALLCHAIN_DEFERRED
   * records use the sample columns: pid, tid, time, `chain` (their ips), `ip` and `period` (the
   * cookie's low and high halves) and `ref` (how many samples they merged into).
   */
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
  /** The callchain of item i by ChainInterner id; -1: none. */
  chain: Int32Array;
  /** Chains first seen in this batch, numbered on from the previous batch's: words and lengths. */
  newChainWords: Uint32Array;
  newChainLengths: Uint32Array;
  /** DWARF samples: user registers and stack copies, by item index. */
  dwarf: Record<number, { regs: SampleRegs; stack: Uint8Array; dynSize: number }>;
  /** Tracepoint samples: formatted fields (and sched_switch's), by item index. */
  trace: Record<number, TraceFacts>;
  records: SideBandRecord[];
}

const CAPACITY = 8192;

/** Packs delivered items; hands a batch to `post` whenever it is full. */
export class BatchWriter {
  private b = BatchWriter.empty();
  private readonly chains = new ChainInterner();

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
      chain: new Int32Array(CAPACITY),
      newChainWords: new Uint32Array(0),
      newChainLengths: new Uint32Array(0),
      dwarf: {},
      trace: {},
      records: [],
    };
  }

  sample(
    r: SampleRecord,
    chain: U64Words | undefined,
    status: MergeStatus,
    trace?: TraceFacts,
  ): void {
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
    b.chain[i] = chain ? this.chains.intern(chain) : -1;
    if (s.regsUser && s.stackUser) {
      const regs = { ...s.regsUser, values: s.regsUser.values.slice() };
      b.dwarf[i] = { regs, stack: s.stackUser.data.slice(), dynSize: s.stackUser.dynSize };
    }
    if (trace) b.trace[i] = trace;
    if (b.length === this.limit) this.flush();
  }

  /** A timeline record in the sample columns: `ref` its type, `period` its lost count. */
  timeline(r: SwitchRecord | LostRecord | LostSamplesRecord): void {
    const b = this.b;
    const i = b.length++;
    b.item[i] = ItemKind.TIMELINE;
    b.ref[i] = r.type;
    b.misc[i] = r.misc;
    b.pid[i] = r.sid.pid;
    b.tid[i] = r.sid.tid;
    b.time[i] = r.sid.time;
    b.cpu[i] = r.sid.cpu;
    b.period[i] = 'lost' in r ? r.lost : 0;
    b.chain[i] = -1;
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
    b.pid[i] = r.sid.pid;
    b.tid[i] = r.sid.tid;
    b.time[i] = r.sid.time;
    b.chain[i] = this.chains.intern(r.ips);
    b.ip[i] = Number(r.cookie & 0xffffffffn);
    b.period[i] = Number(r.cookie >> 32n);
    b.ref[i] = mergedInto;
    if (b.length === this.limit) this.flush();
  }

  endOfSession(): void {
    const b = this.b;
    b.item[b.length++] = ItemKind.END_OF_SESSION;
    if (b.length === this.limit) this.flush();
  }

  flush(): void {
    const b = this.b;
    if (b.length === 0) return;
    const fresh = this.chains.takeNew();
    b.newChainWords = fresh.words;
    b.newChainLengths = fresh.lengths;
    this.post(b);
    this.limit = CAPACITY;
    this.b = BatchWriter.empty();
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
    b.chain,
    b.newChainWords,
    b.newChainLengths,
  ].map((a) => a.buffer as ArrayBuffer);
}
