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
import { NO_WORDS, type U64Words } from '../perf-data/u64';
import { ChainInterner } from './chain-interner';
import { MergeStatus } from '../merge/deferred-merge';
import { ChildIndex } from '../../shared/model/table-builders';

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

/**
 * Every fixed-size column of a batch lives in one buffer: one transfer per batch instead of a
 * dozen, and the session's thread hands the buffer back to be refilled (no fresh memory to fault
 * in for every batch). Widest elements first, so every column is aligned.
 */
const COLUMNS = [
  ['time', Float64Array],
  ['period', Float64Array],
  ['ip', Float64Array],
  ['ref', Uint32Array],
  ['pid', Int32Array],
  ['tid', Int32Array],
  ['cpu', Int32Array],
  ['chain', Int32Array],
  ['misc', Uint16Array],
  ['event', Uint16Array],
  ['item', Uint8Array],
  ['status', Uint8Array],
] as const;
type ColumnName = (typeof COLUMNS)[number][0];
const BATCH_BYTES = COLUMNS.reduce((n, [, T]) => n + CAPACITY * T.BYTES_PER_ELEMENT, 0);

function emptyBatch(buffer: ArrayBuffer): SampleBatch {
  const columns = {} as Record<ColumnName, unknown>;
  let at = 0;
  for (const [name, T] of COLUMNS) {
    columns[name] = new T(buffer, at, CAPACITY);
    at += CAPACITY * T.BYTES_PER_ELEMENT;
  }
  return {
    kind: 'batch',
    length: 0,
    ...(columns as Pick<SampleBatch, ColumnName>),
    newChainWords: new Uint32Array(0),
    newChainLengths: new Uint32Array(0),
    dwarf: {},
    trace: {},
    records: [],
  };
}

/** Packs delivered items; hands a batch to `post` whenever it is full. */
export class BatchWriter {
  private readonly spare: ArrayBuffer[] = [];
  private b = this.emptyBatch();
  private readonly chains = new ChainInterner();
  /**
   * A merged chain is its sample's kernel part (the head) then its deferred record's user ips
   * (the tail): numbered once per distinct (head, tail) pair, so the many samples that merge
   * with the same user stack are not hashed word by word again. Heads are numbered apart (they
   * are never posted); the tail is the deferred record's own chain, interned once per record.
   */
  private readonly heads = new ChainInterner();
  /** head id -> tail id -> merged chain id (small-integer keys: the fastest Map lookups) */
  private readonly mergedByParts = new ChildIndex();
  /** The chain of the deferred record being resolved (its merged samples, then itself). */
  private tail: { ips: U64Words; id: number } | undefined;

  /** The first batch is small: the session thread starts building (and loading symbols) early. */
  private limit = 512;

  constructor(private readonly post: (batch: SampleBatch) => void) {}

  /** A batch's column buffer back from the session's thread, to be refilled. */
  recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === BATCH_BYTES && this.spare.length < 4) this.spare.push(buffer);
  }

  private emptyBatch(): SampleBatch {
    return emptyBatch(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
  }

  sample(
    r: SampleRecord,
    chain: U64Words | undefined,
    status: MergeStatus,
    trace?: TraceFacts,
  ): void {
    this.put(r, chain ? this.chains.intern(chain) : -1, status, trace);
  }

  /** A merged sample: the first `head` words of its own callchain, then its record's `ips`. */
  mergedSample(r: SampleRecord, head: number, ips: U64Words, trace?: TraceFacts): void {
    this.put(r, this.mergedChain(r.sample.callchain!, head, ips), MergeStatus.MERGED, trace);
  }

  private mergedChain(callchain: U64Words, head: number, ips: U64Words): number {
    const tail = this.tailChain(ips);
    const headId = this.heads.internParts(callchain, head, NO_WORDS);
    let id = this.mergedByParts.get(headId, tail);
    if (id < 0) {
      id = this.chains.internParts(callchain, head, ips);
      this.mergedByParts.set(headId, tail, id);
    }
    return id;
  }

  private tailChain(ips: U64Words): number {
    if (this.tail?.ips !== ips) this.tail = { ips, id: this.chains.intern(ips) };
    return this.tail.id;
  }

  private put(r: SampleRecord, chain: number, status: MergeStatus, trace?: TraceFacts): void {
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
    b.chain[i] = chain;
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
    b.chain[i] = this.tailChain(r.ips);
    this.tail = undefined;
    b.ip[i] = r.cookieLo;
    b.period[i] = r.cookieHi;
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
    this.b = this.emptyBatch();
  }
}

/** Transfer list for postMessage: the batch's buffers move instead of being copied. */
export function batchTransfer(b: SampleBatch): ArrayBuffer[] {
  return [
    columnBuffer(b),
    b.newChainWords.buffer as ArrayBuffer,
    b.newChainLengths.buffer as ArrayBuffer,
  ];
}

/** The one buffer under a batch's fixed-size columns (what BatchWriter.recycle takes back). */
export function columnBuffer(b: SampleBatch): ArrayBuffer {
  return b.time.buffer as ArrayBuffer;
}
