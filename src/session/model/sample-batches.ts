import {
  deferredRecordCookieHi,
  deferredRecordCookieLo,
  deferredRecordIpsFrom,
  deferredRecordIpsLength,
  deferredRecordPid,
  deferredRecordTid,
  type CallchainDeferredRecord,
  type CommRecord,
  type LostRecord,
  type LostSamplesRecord,
  type MmapRecord,
  type SampleRecord,
  type SwitchRecord,
  type TaskRecord,
} from '../perf-data/records';
import type { TraceFacts } from './trace-facts';
import {
  plainSampleCpu,
  plainSampleIp,
  plainSampleNr,
  plainSamplePeriod,
  plainSamplePid,
  plainSampleTid,
  type SampleRegs,
} from '../perf-data/sample';
import type { ChunkLease } from '../perf-data/byte-window';
import type { EventDesc } from '../perf-data/evlist';
import { NO_WORDS, holdsEntry, type U64Words } from '../perf-data/u64';
import { ChainInterner, SessionChains } from './chain-interner';
import { MergeStatus } from '../merge/deferred-merge';
import { grown } from '../../shared/model/table-builders';

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
   * records use the sample columns: pid, tid, time, `ip` and `period` (the cookie's low and high
   * halves), `ref` (how many samples they merged into), and `chain` with `cpu`: chain TAIL, their
   * ips are the chain of the first sample they merged into (the first merged sample since the
   * previous consumed record) past its first `cpu` words; else (they merged into no sample) chain
   * `chain`.
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
  /**
   * The callchain of item i by the worker's ChainInterner id; -1: none; SHIPPED: the sample's
   * chain is not numbered, its `ref` words are the next ones of `words`.
   */
  chain: Int32Array;
  /** Shipped chains' words, end to end (see BatchWriter's `ship`); empty when none were. */
  words: Uint32Array;
  /** Chains first seen in this batch, numbered on from the previous batch's: words and lengths. */
  newChainWords: Uint32Array;
  newChainLengths: Uint32Array;
  /** DWARF samples: user registers and stack copies, by item index. */
  dwarf: Record<number, { regs: SampleRegs; stack: Uint8Array; dynSize: number }>;
  /** Tracepoint samples: formatted fields (and sched_switch's), by item index. */
  trace: Record<number, TraceFacts>;
  /**
   * Merged samples whose merged chain holds their cookie's value somewhere (perf 6.19's script
   * marks it there): the cookie's halves, by item index. Only when the writer was asked to.
   */
  cookies: Record<number, { lo: number; hi: number }>;
  records: SideBandRecord[];
  /**
   * The worker reader's time base (TimeBase.base, decimal): `time` is relative to it. A reader
   * of the same recording adopts it to print absolute times while the batches come.
   */
  timeBase: string;
}

/** What a batch row says of a sample (the fields its columns hold), refilled by sampleFacts(). */
export interface BatchSampleFacts {
  pid: number;
  tid: number;
  misc: number;
  ip: number;
  time: number;
  cpu: number;
  period: number;
  event: EventDesc;
}

/**
 * Whether `b`'s last item is a sample of (pid, tid): a record that merged into samples, right
 * after the last of them, can be left for later (LoadOptions.recordsLater) when it is of their
 * thread: the session would look its thread up as it just did. One of another pid or tid (a file
 * can say so) is kept: its lookup can tell a thread its pid.
 */
function afterSampleOf(b: SampleBatch, pid: number, tid: number): boolean {
  const last = b.length - 1;
  return (
    last >= 0 && b.item[last] === ItemKind.SAMPLE && b.pid[last] === pid && b.tid[last] === tid
  );
}

/** Whether one of a batch's sparse per-item fields (dwarf, trace, cookies) has any item. */
export function hasAny(items: Record<number, unknown>): boolean {
  for (const _ in items) return true;
  return false;
}

/** Sample item `i` of `b` into `facts` (one object refilled item after item). */
export function sampleFacts(
  b: SampleBatch,
  i: number,
  events: readonly EventDesc[],
  facts: BatchSampleFacts,
): void {
  facts.pid = b.pid[i]!;
  facts.tid = b.tid[i]!;
  facts.misc = b.misc[i]!;
  facts.ip = b.ip[i]!;
  facts.time = b.time[i]!;
  facts.cpu = b.cpu[i]!;
  facts.period = b.period[i]!;
  facts.event = events[b.event[i]!]!;
}

const CAPACITY = 8192;

/** `chain` of a sample whose words were shipped in the batch's `words` (not numbered). */
export const SHIPPED = -2;

/** `chain` of a consumed record whose ips end the chain of the first sample it merged into. */
const TAIL = -3;

/**
 * Words one batch ships (2 MB): a sample's chain that does not fit in what is left is numbered
 * by the worker instead.
 */
const WORDS_CAPACITY = 1 << 19;

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
    words: NO_WORDS,
    dwarf: {},
    trace: {},
    cookies: {},
    records: [],
    timeBase: '0',
  };
}

/**
 * Packs delivered items; hands a batch to `post` whenever it is full.
 *
 * Numbering a chain (hashing it and comparing it, word by word, with the chain of that hash) is
 * the worker's largest cost. While `ship()` says the session's thread has time to spare (it is
 * waiting for batches), merged samples' chains (kernel part and record ips, never built) are
 * shipped as words for it to number instead: each thread does the share it has time for. Only
 * merged ones: in a deferred load the worker also resolves every record, and the session's spare
 * time pays for the copy; in a classic load the worker keeps pace, and shipping cost more than it
 * saved (benchmark recording, alternating runs: 0.2 s more CPU, a few percent slower).
 */
export class BatchWriter {
  private readonly spare: ArrayBuffer[] = [];
  private readonly spareWords: Uint32Array[] = [];
  private b = this.emptyBatch();
  private readonly chains = new ChainInterner();
  /** Words shipped in the current batch. */
  private shipped = 0;
  /**
   * The deferred record being resolved: its ips, and the kernel part's length of the first sample
   * it merged into (two fields, not an object made per record). The record is posted as that
   * sample's chain's tail: its ips are not numbered a second time.
   */
  private recordIps: U64Words | undefined;
  private recordIpsFrom = 0;
  private recordHeadWords = 0;

  /** The first batch is small: the session thread starts building (and loading symbols) early. */
  private limit = 512;

  constructor(
    private readonly post: (batch: SampleBatch) => void,
    private readonly ship: () => boolean = () => false,
    /** Note the cookies merged chains hold (SampleBatch.cookies). */
    private readonly markCookies = false,
    /** Leave out the consumed records the session can read later (LoadOptions.recordsLater). */
    private readonly recordsLater = false,
  ) {}

  /** A batch's column buffer (and words buffer) back from the session's thread, to be refilled. */
  recycle(buffer: ArrayBuffer, words?: ArrayBuffer): void {
    if (buffer.byteLength === BATCH_BYTES && this.spare.length < 4) this.spare.push(buffer);
    if (words?.byteLength === 4 * WORDS_CAPACITY && this.spareWords.length < 4)
      this.spareWords.push(new Uint32Array(words));
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
    if (!chain) this.put(r, -1, status, trace);
    else this.put(r, this.chains.intern(chain), status, trace);
  }

  /**
   * A plain sample read in place (PerfDataReader's plainSamples; DeferredMerger's plain()): its
   * record at byte `record` of `lease`'s buffer, checked by the reader, with its own chain.
   */
  plainSample(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    status: MergeStatus = MergeStatus.CLASSIC,
  ): void {
    const l = event.plainSample!;
    const v = lease.view;
    const at = record + 8;
    const n = 2 * plainSampleNr(v, at, l);
    this.putPlain(lease, record, event, time, status, n, NO_WORDS);
  }

  /**
   * A merged plain sample read in place: the first `head` words of its own chain, then its
   * record's ips (`ipsLength` words of `ips` from `ipsFrom`; `ipsWide`: `ips` as float64s).
   */
  plainMergedSample(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    head: number,
    ips: U64Words,
    ipsFrom: number,
    ipsLength: number,
    ipsWide: Float64Array | undefined,
  ): void {
    this.noteRecord(ips, ipsFrom, head);
    if (this.markCookies) {
      const from = (record + 8 + event.plainSample!.fixed) >>> 2;
      this.noteCookie(lease.words, from, head, ips, ipsFrom, ipsLength);
    }
    const status = MergeStatus.MERGED;
    this.putPlain(lease, record, event, time, status, head, ips, ipsFrom, ipsLength, ipsWide);
  }

  /**
   * The cookie of the merged sample about to be put (the entry of its own chain, from word
   * `from` of `own`, right after the `head` words it keeps), when the merged chain (those words,
   * then `ipsLength` of `ips` from `ipsFrom`) holds its value.
   */
  private noteCookie(
    own: U64Words,
    from: number,
    head: number,
    ips: U64Words,
    ipsFrom: number,
    ipsLength: number,
  ): void {
    const lo = own[from + head]!;
    const hi = own[from + head + 1]!;
    if (holdsEntry(own, lo, hi, from, head) || holdsEntry(ips, lo, hi, ipsFrom, ipsLength))
      this.b.cookies[this.b.length] = { lo, hi };
  }

  /** A merged sample of the record whose ips start at word `from` of `ips`. */
  private noteRecord(ips: U64Words, from: number, head: number): void {
    if (this.recordIps !== ips || this.recordIpsFrom !== from) {
      this.recordIps = ips;
      this.recordIpsFrom = from;
      this.recordHeadWords = head;
    }
  }

  /** A plain sample's row, its chain the first `head` words of its own, then `tail`. */
  private putPlain(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    status: MergeStatus,
    head: number,
    tail: U64Words,
    tailFrom = 0,
    tailLength = tail.length,
    tailWide?: Float64Array,
  ): void {
    const l = event.plainSample!;
    const v = lease.view;
    const at = record + 8;
    const b = this.b;
    const i = b.length++;
    b.item[i] = ItemKind.SAMPLE;
    b.pid[i] = plainSamplePid(v, at, l);
    b.tid[i] = plainSampleTid(v, at, l);
    b.time[i] = time;
    b.cpu[i] = plainSampleCpu(v, at, l);
    b.period[i] = plainSamplePeriod(v, at, l);
    b.ip[i] = plainSampleIp(v, at, l);
    b.misc[i] = v.getUint16(record + 4, true);
    b.event[i] = event.index;
    b.status[i] = status;
    b.ref[i] = 0;
    if (l.callchain < 0) b.chain[i] = -1;
    else {
      const words = lease.words;
      const from = (at + l.fixed) >>> 2;
      if (
        status === MergeStatus.MERGED &&
        this.ship() &&
        this.shipWords(words, head, tail, from, tailFrom, tailLength)
      ) {
        b.chain[i] = SHIPPED;
        b.ref[i] = head + tailLength;
      } else {
        const wide = lease.wide;
        const chains = this.chains;
        b.chain[i] = chains.internParts(
          words,
          head,
          tail,
          from,
          wide,
          tailFrom,
          tailLength,
          tailWide,
        );
      }
    }
    if (b.length === this.limit) this.flush();
  }

  /**
   * Appends a chain's words to the batch's (`headLength` of `head` from word `from`, then
   * `tailLength` of `tail` from word `tailFrom`): false when they do not fit.
   */
  private shipWords(
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from = 0,
    tailFrom = 0,
    tailLength = tail.length,
  ): boolean {
    const b = this.b;
    if (b.words === NO_WORDS) b.words = this.spareWords.pop() ?? new Uint32Array(WORDS_CAPACITY);
    const at = this.shipped;
    if (at + headLength + tailLength > WORDS_CAPACITY) return false;
    const words = b.words;
    if (headLength === head.length) words.set(head, at);
    else if (tailLength === 0) words.set(head.subarray(from, from + headLength), at);
    // a merged chain's head is its kernel part, a few words: copied here, not through a view
    else for (let i = 0; i < headLength; i++) words[at + i] = head[from + i]!;
    if (tailLength === tail.length) words.set(tail, at + headLength);
    else words.set(tail.subarray(tailFrom, tailFrom + tailLength), at + headLength);
    this.shipped = at + headLength + tailLength;
    return true;
  }

  /** A merged sample: the first `head` words of its own callchain, then its record's `ips`. */
  mergedSample(r: SampleRecord, head: number, ips: U64Words, trace?: TraceFacts): void {
    const own = r.sample.callchain!;
    this.noteRecord(ips, 0, head);
    if (this.markCookies) this.noteCookie(own, 0, head, ips, 0, ips.length);
    if (this.ship() && this.shipWords(own, head, ips))
      this.put(r, SHIPPED, MergeStatus.MERGED, trace, head + ips.length);
    else this.put(r, this.chains.internParts(own, head, ips), MergeStatus.MERGED, trace);
  }

  /** A sample's row; `words`: how many words it shipped (its `ref`). */
  private put(
    r: SampleRecord,
    chain: number,
    status: MergeStatus,
    trace?: TraceFacts,
    words = 0,
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
    b.chain[i] = chain;
    b.ref[i] = words;
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
    const { pid, tid, time } = r.sid;
    if (this.leftForLater(pid, tid, mergedInto)) return;
    const ips = r.ips;
    this.putConsumed(pid, tid, time, ips, 0, ips.length, r.cookieLo, r.cookieHi, mergedInto);
  }

  /** consumed() of a record read in place (DeferredMerger's consumedPlain). */
  consumedPlain(
    lease: ChunkLease,
    record: number,
    event: EventDesc,
    time: number,
    mergedInto: number,
  ): void {
    const v = lease.view;
    const pid = deferredRecordPid(v, record, event);
    const tid = deferredRecordTid(v, record, event);
    // (its other fields are not read for a record left out: one per merged sample, mostly)
    if (this.leftForLater(pid, tid, mergedInto)) return;
    this.putConsumed(
      pid,
      tid,
      time,
      lease.words,
      deferredRecordIpsFrom(record),
      deferredRecordIpsLength(v, record),
      deferredRecordCookieLo(v, record),
      deferredRecordCookieHi(v, record),
      mergedInto,
    );
  }

  /**
   * Whether a consumed record of (pid, tid) that merged into `mergedInto` samples is left out
   * for the session to read later (LoadOptions.recordsLater): see afterSampleOf.
   */
  private leftForLater(pid: number, tid: number, mergedInto: number): boolean {
    if (!this.recordsLater || mergedInto === 0 || !afterSampleOf(this.b, pid, tid)) return false;
    this.recordIps = undefined;
    return true;
  }

  /** A consumed record's row, its ips `ipsLength` words of `ips` from `ipsFrom`. */
  private putConsumed(
    pid: number,
    tid: number,
    time: number,
    ips: U64Words,
    ipsFrom: number,
    ipsLength: number,
    cookieLo: number,
    cookieHi: number,
    mergedInto: number,
  ): void {
    const b = this.b;
    // (leaving records for later, a kept one's ips are its own chain: the session's thread, not
    // told of those left out, cannot tell which sample's chain they end)
    const merged = !this.recordsLater && this.recordIps === ips && this.recordIpsFrom === ipsFrom;
    this.recordIps = undefined;
    const i = b.length++;
    b.item[i] = ItemKind.CONSUMED;
    b.pid[i] = pid;
    b.tid[i] = tid;
    b.time[i] = time;
    b.chain[i] = merged ? TAIL : this.chains.internParts(ips, ipsLength, NO_WORDS, ipsFrom);
    b.cpu[i] = merged ? this.recordHeadWords : 0;
    b.ip[i] = cookieLo;
    b.period[i] = cookieHi;
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
    this.shipped = 0;
    this.post(b);
    this.limit = CAPACITY;
    this.b = this.emptyBatch();
  }
}

/** Transfer list for postMessage: the batch's buffers move instead of being copied. */
export function batchTransfer(b: SampleBatch): ArrayBuffer[] {
  const buffers = [
    columnBuffer(b),
    b.newChainWords.buffer as ArrayBuffer,
    b.newChainLengths.buffer as ArrayBuffer,
  ];
  if (b.words !== NO_WORDS) buffers.push(b.words.buffer as ArrayBuffer);
  return buffers;
}

/** The one buffer under a batch's fixed-size columns (what BatchWriter.recycle takes back). */
function columnBuffer(b: SampleBatch): ArrayBuffer {
  return b.time.buffer as ArrayBuffer;
}

/** The ack of a batch the session's thread is done with: its reusable buffers go back. */
export function batchAck(
  b: SampleBatch,
): [{ kind: 'ack'; buffer: ArrayBuffer; words?: ArrayBuffer }, ArrayBuffer[]] {
  const buffer = columnBuffer(b);
  if (b.words === NO_WORDS) return [{ kind: 'ack', buffer }, [buffer]];
  const words = b.words.buffer as ArrayBuffer;
  return [{ kind: 'ack', buffer, words }, [buffer, words]];
}

/**
 * The session thread's side of the batches' chains: numbers them (SessionChains, one numbering
 * for the chains the worker numbered and those it shipped) and tells each item's.
 */
export class BatchChains {
  readonly chains = new SessionChains();
  /** Where the current batch's next shipped chain starts in its words. */
  private shipped = 0;
  /** The first merged sample's chain since the last consumed record (-1: none). */
  private recordHead = -1;
  /**
   * Per chain, the head words a consumed record was its tail past (0: none yet). One chain could
   * be split two ways (a kernel part ending where a user stack repeats its words); a record's
   * stack is cached by the chain it ends, so a second split numbers the record's own chain.
   */
  private splits = new Int32Array(1024);
  /** consumed()'s second answer: the head words its chain's ips start after. */
  headWords = 0;
  /** The batch's shipped words as float64s (numbering compares them two at a time). */
  private wideWords: Float64Array | undefined;

  /** Before a batch's items: the chains it brings. */
  begin(b: SampleBatch): void {
    this.chains.adopt(b.newChainWords, b.newChainLengths);
    this.shipped = 0;
    const words = b.words;
    this.wideWords =
      words.byteOffset === 0 && words.length > 0
        ? new Float64Array(words.buffer, 0, words.length >>> 1)
        : undefined;
  }

  /** The chain number of sample item `i` (-1: no callchain). */
  sample(b: SampleBatch, i: number): number {
    let id = b.chain[i]!;
    if (id === SHIPPED) {
      const at = this.shipped;
      this.shipped += b.ref[i]!;
      id = this.chains.intern(b.words, at, b.ref[i]!, this.wideWords);
    } else if (id >= 0) id = this.chains.workerChain(id);
    this.noteMerged(id, b.status[i]!);
    return id;
  }

  /**
   * The number of a sample's chain read on this thread (the one-thread load: no batches), kept
   * track of as sample() does a batch's.
   */
  number(words: U64Words, status: MergeStatus): number {
    const id = this.chains.intern(words);
    this.noteMerged(id, status);
    return id;
  }

  /** A consumed record's ips end the chain of the first sample merged since the last record. */
  private noteMerged(id: number, status: number): void {
    if (status === MergeStatus.MERGED && this.recordHead < 0) this.recordHead = id;
  }

  /**
   * The chain of a consumed record read on this thread, whose ips are `ips`: as consumed() for a
   * batch's, `headWords` set; -1 when it merged into no sample (its ips stand alone).
   */
  record(ips: U64Words): number {
    const head = this.takeRecordHead();
    this.headWords = 0;
    return head < 0 ? -1 : this.tail(head, this.chains.get(head).length - ips.length);
  }

  /** A consumed record read on this thread and not kept (LoadOptions.recordsLater). */
  skipRecord(): void {
    this.takeRecordHead();
  }

  /**
   * The chain of consumed item `i`: its ips are that chain past its first `headWords` words (0:
   * all of it).
   */
  consumed(b: SampleBatch, i: number): number {
    const head = this.takeRecordHead();
    const id = b.chain[i]!;
    this.headWords = 0;
    if (id !== TAIL) return this.chains.workerChain(id);
    return this.tail(head, b.cpu[i]!);
  }

  /** The first merged sample's chain since the last consumed record, for this one (-1: none). */
  private takeRecordHead(): number {
    const head = this.recordHead;
    this.recordHead = -1;
    return head;
  }

  /**
   * The chain of a record whose ips are chain `head` past its first `headWords` words: `head`
   * itself (`headWords` set) when that is how its records split, else the ips numbered alone.
   */
  private tail(head: number, headWords: number): number {
    this.headWords = 0;
    if (this.splitAt(head, headWords)) {
      this.headWords = headWords;
      return head;
    }
    const chain = this.chains.get(head);
    return this.chains.intern(chain, headWords, chain.length - headWords);
  }

  /** Whether chain `id`'s records are its tail past `headWords` words (the first split says). */
  private splitAt(id: number, headWords: number): boolean {
    if (id >= this.splits.length) this.splits = grown(this.splits, id);
    if (this.splits[id] === 0) this.splits[id] = headWords;
    return this.splits[id] === headWords;
  }
}
