import { popcount64, type EventAttr } from './attr';
import { BranchSampleType, ContextNum, ReadFormat, SampleType } from './constants';
import type { Cursor } from './cursor';
import { PerfDataError } from './errors';
import type { EventDesc } from './evlist';
import {
  NO_WORDS,
  signedFromHalves,
  TWO_32,
  type WordSlab,
  wordsLength,
  type U64Words,
} from './u64';

/**
 * Timestamps are u64 nanoseconds (CLOCK_MONOTONIC by default, since boot). We keep them as exact
 * doubles relative to `base`: base is 0 unless the recording's times exceed 2^52 ns (52 days of
 * uptime), in which case it is the first time's upper 32 bits, so differences stay exact.
 */
export class TimeBase {
  /** Upper 32 bits of the base, as a number. */
  private baseHi = -1;

  /** The base in nanoseconds. */
  get base(): bigint {
    return BigInt(Math.max(this.baseHi, 0)) * BigInt(TWO_32);
  }

  /** Uses a base found by another reader of the same recording. */
  adopt(base: bigint): void {
    this.baseHi = Number(base / BigInt(TWO_32));
  }

  fromHalves(lo: number, hi: number): number {
    if (this.baseHi < 0) this.baseHi = hi >= 0x100000 ? hi : 0;
    return (hi - this.baseHi) * TWO_32 + lo;
  }

  /** Absolute nanoseconds of a relative time: a number while that is exact, else a bigint. */
  absolute(time: number): number | bigint {
    if (this.baseHi <= 0) return time;
    return this.base + BigInt(time);
  }
}

/** Values of PERF_SAMPLE_READ (and PERF_RECORD_READ): one counter or a group. */
export interface ReadValues {
  timeEnabled?: number;
  timeRunning?: number;
  values: { value: number; id?: number; lost?: number }[];
}

export interface BranchEntry {
  from: number;
  to: number;
  flags: bigint;
}

export interface BranchStack {
  hwIndex?: number;
  entries: BranchEntry[];
  counters?: bigint[];
}

/** Registers of REGS_USER / REGS_INTR: the ABI word and one value per bit set in the mask. */
export interface SampleRegs {
  abi: number;
  mask: bigint;
  /** Exact register values, [lo, hi] pairs like callchains. */
  values: U64Words;
}

/** The `sample_id` fields common to samples and to the trailer of every other record. */
export interface SampleId {
  pid: number;
  tid: number;
  /** Nanoseconds relative to the reader's TimeBase. */
  time: number;
  /** False when the record has no usable time (no TIME field, or 0 / ~0): perf does not queue it. */
  hasTime: boolean;
  id: number;
  streamId: number;
  cpu: number;
}

/**
 * A PERF_RECORD_SAMPLE. Fields the attr's sample_type does not select stay undefined (all samples
 * of one recording share one object shape, and small objects keep a million of them cheap).
 */
export interface Sample extends SampleId {
  event: EventDesc;
  misc: number;
  /** Absolute ip in the signed address encoding (u64.ts). */
  ip: number;
  /** The period: PERIOD field, or attr.sample_period when the field is absent (fixed period). */
  period: number;
  /** Callchain ends in [USER_DEFERRED, cookie] and the attr has defer_callchain. */
  deferred: boolean;
  callchain?: U64Words;
  addr?: bigint;
  read?: ReadValues;
  raw?: Uint8Array;
  branchStack?: BranchStack;
  regsUser?: SampleRegs;
  stackUser?: { data: Uint8Array; dynSize: number };
  weight?: number;
  /** WEIGHT_STRUCT: var2_w (instruction latency) and var3_w. */
  insLat?: number;
  retireLat?: number;
  dataSrc?: bigint;
  transaction?: bigint;
  regsIntr?: SampleRegs;
  physAddr?: bigint;
  cgroup?: bigint;
  dataPageSize?: number;
  codePageSize?: number;
  aux?: Uint8Array;
}

/**
 * Copies the sample's views into the read buffer, for a sample kept after its delivery (the
 * reader may reuse the buffer: ReadOptions.recycleBuffers). The callchain is carved from `slab`:
 * a typed array of its own per sample (an ArrayBuffer each) cost a deferred load more than the
 * copy.
 */
export function detachSample(s: Sample, slab: WordSlab): void {
  if (s.callchain) s.callchain = slab.concat(s.callchain, wordsLength(s.callchain), NO_WORDS);
  if (s.raw) s.raw = s.raw.slice();
  if (s.aux) s.aux = s.aux.slice();
  if (s.regsUser) s.regsUser = { ...s.regsUser, values: s.regsUser.values.slice() };
  if (s.regsIntr) s.regsIntr = { ...s.regsIntr, values: s.regsIntr.values.slice() };
  if (s.stackUser) s.stackUser = { data: s.stackUser.data.slice(), dynSize: s.stackUser.dynSize };
}

const NO_ID: SampleId = { pid: -1, tid: -1, time: 0, hasTime: false, id: 0, streamId: 0, cpu: -1 };

export function emptySampleId(): SampleId {
  return { ...NO_ID };
}

/** The fields a plain sample has at most: u64 slots, then the callchain (PlainSampleLayout). */
const PLAIN_FIELDS =
  SampleType.IDENTIFIER |
  SampleType.IP |
  SampleType.TID |
  SampleType.TIME |
  SampleType.ID |
  SampleType.STREAM_ID |
  SampleType.CPU |
  SampleType.PERIOD |
  SampleType.CALLCHAIN;

/**
 * Where each field of a sample whose type has only PLAIN_FIELDS lies, in bytes from the body's
 * start (-1: absent): every field at a fixed place, the callchain last. Such samples (what
 * `perf record -g` writes) are read by parsePlainSample, a few reads at known places, instead of
 * field by field through the cursor.
 */
export interface PlainSampleLayout {
  identifier: number;
  ip: number;
  tid: number;
  time: number;
  id: number;
  streamId: number;
  cpu: number;
  period: number;
  /** The callchain's nr (its ips follow). */
  callchain: number;
  /** Bytes before the callchain's ips (or all of the body, without a callchain). */
  fixed: number;
  /** The period of samples without a PERIOD field (attr.sample_period, made a number once). */
  samplePeriod: number;
}

/** The plain layout of `attr`'s samples, or undefined (a field beyond PLAIN_FIELDS). */
export function plainSampleLayout(attr: EventAttr): PlainSampleLayout | undefined {
  const sampleType = attr.sampleType;
  if (sampleType > 0x7fffffff || (sampleType & ~PLAIN_FIELDS) !== 0) return undefined;
  let at = 0;
  const slot = (field: number): number => {
    if (!(sampleType & field)) return -1;
    at += 8;
    return at - 8;
  };
  // perf's field order (evsel__parse_sample)
  const identifier = slot(SampleType.IDENTIFIER);
  const ip = slot(SampleType.IP);
  const tid = slot(SampleType.TID);
  const time = slot(SampleType.TIME);
  const id = slot(SampleType.ID);
  const streamId = slot(SampleType.STREAM_ID);
  const cpu = slot(SampleType.CPU);
  const period = slot(SampleType.PERIOD);
  const callchain = slot(SampleType.CALLCHAIN);
  const samplePeriod = Number(attr.samplePeriod);
  return {
    identifier,
    ip,
    tid,
    time,
    id,
    streamId,
    cpu,
    period,
    callchain,
    fixed: at,
    samplePeriod,
  };
}

/** A sample with no field read yet: one literal, so both parses make samples of one shape. */
function newSample(event: EventDesc, misc: number): Sample {
  return {
    event,
    misc,
    pid: -1,
    tid: -1,
    time: 0,
    hasTime: false,
    id: 0,
    streamId: 0,
    cpu: -1,
    ip: 0,
    period: 1,
    deferred: false,
  };
}

/** Whether a callchain of `nr` entries ends in [USER_DEFERRED, cookie] of a deferring event. */
function endsDeferred(event: EventDesc, chain: U64Words, nr: number): boolean {
  return (
    nr >= 2 &&
    event.deferCallchain &&
    chain[2 * (nr - 2)] === ContextNum.USER_DEFERRED >>> 0 &&
    chain[2 * (nr - 2) + 1] === 0xffffffff
  );
}

/** Whether the little-endian u64 at `at` is below 2^53 (Cursor.u64Count's bound). */
export function isCount(v: DataView, at: number): boolean {
  return v.getUint32(at + 4, true) < 0x200000;
}

/** isCount() of the field `field` bytes from `at` (true for an absent field). */
function countField(v: DataView, at: number, field: number): boolean {
  return field < 0 || isCount(v, at + field);
}

/** The little-endian u64 at `at`, known to be below 2^53. */
function count(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * TWO_32 + v.getUint32(at, true);
}

/**
 * The callchain entries of the plain sample whose body is [at, end) of `v`, little-endian (0
 * without a callchain), or -1 when anything is out of the ordinary (too short, a count beyond
 * 2^53, nr past the record, an unaligned callchain) and the field by field parse must say what.
 */
export function plainSampleEntries(
  v: DataView,
  at: number,
  end: number,
  l: PlainSampleLayout,
): number {
  if (end - at < l.fixed) return -1;
  // every u64 a count must be below 2^53, as Cursor.u64Count requires
  if (
    !countField(v, at, l.identifier) ||
    !countField(v, at, l.id) ||
    !countField(v, at, l.streamId) ||
    !countField(v, at, l.period)
  )
    return -1;
  if (l.callchain < 0) return 0;
  if (v.getUint32(at + l.callchain + 4, true) !== 0) return -1;
  const nr = v.getUint32(at + l.callchain, true);
  if (nr > (end - at - l.fixed) / 8 || (v.byteOffset + at + l.fixed) % 4 !== 0) return -1;
  return nr;
}

/** The pid of the plain sample at `at` (-1 without one). */
export function plainSamplePid(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.tid < 0 ? -1 : v.getInt32(at + l.tid, true);
}

/** The CPU of the plain sample at `at` (-1 without one). */
export function plainSampleCpu(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.cpu < 0 ? -1 : v.getUint32(at + l.cpu, true);
}

/** The tid of the plain sample at `at` (-1 without one). */
export function plainSampleTid(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.tid < 0 ? -1 : v.getInt32(at + l.tid + 4, true);
}

/** The callchain entries of the plain sample at `at` (checked by plainSampleEntries). */
export function plainSampleNr(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.callchain < 0 ? 0 : v.getUint32(at + l.callchain, true);
}

/** The IP of the plain sample at `at` (0 without one). */
export function plainSampleIp(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.ip < 0
    ? 0
    : signedFromHalves(v.getUint32(at + l.ip, true), v.getUint32(at + l.ip + 4, true));
}

/** The period of the plain sample at `at` (checked by plainSampleEntries). */
export function plainSamplePeriod(v: DataView, at: number, l: PlainSampleLayout): number {
  return l.period >= 0 ? count(v, at + l.period) : l.samplePeriod;
}

/**
 * The time of the plain sample at `at` (checked by plainSampleEntries), or undefined without a
 * usable one (perf delivers such samples at once).
 */
export function plainSampleTime(
  v: DataView,
  at: number,
  l: PlainSampleLayout,
  times: TimeBase,
): number | undefined {
  return l.time < 0 ? undefined : timeAt(v, at + l.time, times);
}

/** The little-endian TIME field at `at`, or undefined when it is no time (0 or ~0). */
export function timeAt(v: DataView, at: number, times: TimeBase): number | undefined {
  const lo = v.getUint32(at, true);
  const hi = v.getUint32(at + 4, true);
  return usableTime(lo, hi) ? times.fromHalves(lo, hi) : undefined;
}

/** Whether the plain sample at `at`, of `nr` entries, ends in a deferring event's cookie. */
export function plainSampleDeferred(
  v: DataView,
  at: number,
  l: PlainSampleLayout,
  nr: number,
  event: EventDesc,
): boolean {
  if (nr < 2 || !event.deferCallchain) return false;
  const marker = at + l.fixed + 8 * (nr - 2);
  return (
    v.getUint32(marker, true) === ContextNum.USER_DEFERRED >>> 0 &&
    v.getUint32(marker + 4, true) === 0xffffffff
  );
}

/**
 * parseSample() of a sample with a plain layout, from a little-endian recording on a
 * little-endian host: the same Sample (same fields, same shape), or undefined when
 * plainSampleEntries() says the field by field parse must read it. `c` moves past what was read
 * only when a sample is returned.
 */
function parsePlainSample(
  c: Cursor,
  event: EventDesc,
  misc: number,
  times: TimeBase,
  l: PlainSampleLayout,
): Sample | undefined {
  const v = c.view;
  const at = c.pos;
  const nr = plainSampleEntries(v, at, c.end, l);
  if (nr < 0) return undefined;
  const s = newSample(event, misc);
  if (l.identifier >= 0) s.id = count(v, at + l.identifier);
  s.ip = plainSampleIp(v, at, l);
  s.pid = plainSamplePid(v, at, l);
  s.tid = plainSampleTid(v, at, l);
  if (l.time >= 0) {
    const lo = v.getUint32(at + l.time, true);
    const hi = v.getUint32(at + l.time + 4, true);
    s.hasTime = usableTime(lo, hi);
    s.time = times.fromHalves(lo, hi);
  }
  if (l.id >= 0) s.id = count(v, at + l.id);
  if (l.streamId >= 0) s.streamId = count(v, at + l.streamId);
  s.cpu = plainSampleCpu(v, at, l);
  s.period = plainSamplePeriod(v, at, l);
  if (l.callchain >= 0) {
    const chain = new Uint32Array(v.buffer, v.byteOffset + at + l.fixed, 2 * nr);
    s.callchain = chain;
    s.deferred = endsDeferred(event, chain, nr);
  }
  c.pos = at + l.fixed + 8 * nr;
  return s;
}

/**
 * Parses the body of a PERF_RECORD_SAMPLE (`c` positioned after the 8-byte header, ending at the
 * record end) in perf's field order (evsel__parse_sample).
 */
export function parseSample(c: Cursor, event: EventDesc, misc: number, times: TimeBase): Sample {
  const plain = event.plainSample;
  if (plain && c.le && LITTLE_ENDIAN_HOST) {
    const s = parsePlainSample(c, event, misc, times, plain);
    if (s) return s;
  }
  const attr = event.attr;
  const t = attr.sampleType;
  const s = newSample(event, misc);
  if (t & SampleType.IDENTIFIER) s.id = c.u64Count('sample.identifier');
  if (t & SampleType.IP) s.ip = c.u64Signed('sample.ip');
  if (t & SampleType.TID) {
    s.pid = c.i32('sample.pid');
    s.tid = c.i32('sample.tid');
  }
  if (t & SampleType.TIME) readTime(c, s, times, 'sample.time');
  if (t & SampleType.ADDR) s.addr = c.u64('sample.addr');
  if (t & SampleType.ID) s.id = c.u64Count('sample.id');
  if (t & SampleType.STREAM_ID) s.streamId = c.u64Count('sample.stream_id');
  if (t & SampleType.CPU) {
    s.cpu = c.u32('sample.cpu');
    c.skip(4, 'sample.cpu_res');
  }
  if (t & SampleType.PERIOD) s.period = c.u64Count('sample.period');
  else s.period = Number(attr.samplePeriod);
  if (t & SampleType.READ) s.read = readValues(c, attr.readFormat, 'sample.read');
  if (t & SampleType.CALLCHAIN) {
    const nr = c.u64Count('sample.callchain.nr');
    s.callchain = readWords(c, nr, 'sample.callchain.ips');
    s.deferred = endsDeferred(event, s.callchain, nr);
  }
  if (t & SampleType.RAW) {
    const size = c.u32('sample.raw_size');
    s.raw = c.bytes(size, 'sample.raw_data');
    // The kernel pads u32 size + data to a multiple of 8 bytes.
    const pad = (8 - ((size + 4) % 8)) % 8;
    if (pad > 0 && c.remaining >= pad) c.skip(pad, 'sample.raw padding');
  }
  if (t & SampleType.BRANCH_STACK) s.branchStack = readBranchStack(c, attr.branchSampleType);
  if (t & SampleType.REGS_USER) s.regsUser = readRegs(c, attr.sampleRegsUser, 'sample.regs_user');
  if (t & SampleType.STACK_USER) {
    const size = c.u64Count('sample.stack_user.size');
    if (size > 0) {
      const data = c.bytes(size, 'sample.stack_user.data');
      const dynSize = c.u64Count('sample.stack_user.dyn_size');
      s.stackUser = { data: data.subarray(0, Math.min(dynSize, size)), dynSize };
    }
  }
  if (t & SampleType.WEIGHT_STRUCT) {
    // union perf_sample_weight { u64 full; struct { u32 var1_dw; u16 var2_w; u16 var3_w; } }
    const lo = c.u32('sample.weight.var1_dw');
    s.insLat = c.u16('sample.weight.var2_w');
    s.retireLat = c.u16('sample.weight.var3_w');
    s.weight = lo;
  } else if (t & SampleType.WEIGHT) {
    s.weight = c.u64Count('sample.weight');
  }
  if (t & SampleType.DATA_SRC) s.dataSrc = c.u64('sample.data_src');
  if (t & SampleType.TRANSACTION) s.transaction = c.u64('sample.transaction');
  if (t & SampleType.REGS_INTR) s.regsIntr = readRegs(c, attr.sampleRegsIntr, 'sample.regs_intr');
  if (t & SampleType.PHYS_ADDR) s.physAddr = c.u64('sample.phys_addr');
  if (t & SampleType.CGROUP) s.cgroup = c.u64('sample.cgroup');
  if (t & SampleType.DATA_PAGE_SIZE) s.dataPageSize = c.u64Count('sample.data_page_size');
  if (t & SampleType.CODE_PAGE_SIZE) s.codePageSize = c.u64Count('sample.code_page_size');
  if (t & SampleType.AUX) {
    const size = c.u64Count('sample.aux.size');
    s.aux = c.bytes(size, 'sample.aux.data');
  }
  return s;
}

/**
 * A sample's time without parsing the rest: TIME follows IDENTIFIER, IP and TID (one u64 each)
 * in a sample's body. Undefined when the sample has no usable time (perf delivers such records
 * at once). The record spans [start, end) of `view`.
 */
export function sampleTime(
  view: DataView,
  start: number,
  end: number,
  le: boolean,
  event: EventDesc,
  times: TimeBase,
): number | undefined {
  const t = event.attr.sampleType;
  if (!(t & SampleType.TIME)) return undefined;
  let at = start + 8; // the perf_event_header
  if (t & SampleType.IDENTIFIER) at += 8;
  if (t & SampleType.IP) at += 8;
  if (t & SampleType.TID) at += 8;
  if (at + 8 > end) return undefined;
  const a = view.getUint32(at, le);
  const b = view.getUint32(at + 4, le);
  const lo = le ? a : b;
  const hi = le ? b : a;
  if (!usableTime(lo, hi)) return undefined;
  return times.fromHalves(lo, hi);
}

/** A TIME field of 0 or ~0 is no time: perf delivers such records at once, unordered. */
function usableTime(lo: number, hi: number): boolean {
  return !((lo === 0 && hi === 0) || (lo === 0xffffffff && hi === 0xffffffff));
}

function readTime(c: Cursor, into: SampleId, times: TimeBase, field: string): void {
  c.readHalves(field);
  into.hasTime = usableTime(c.lo, c.hi);
  into.time = times.fromHalves(c.lo, c.hi);
}

/**
 * Reads the sample_id trailer at the end of a non-sample record: TID, TIME, ID, STREAM_ID, CPU,
 * IDENTIFIER (perf_evsel__parse_id_sample). `end` is the record end relative to the cursor view.
 */
export function parseSampleIdTrailer(
  c: Cursor,
  event: EventDesc,
  end: number,
  times: TimeBase,
): SampleId {
  const size = event.idTrailerSize;
  if (size === 0) return emptySampleId();
  const start = end - size;
  if (start < c.pos) {
    throw new PerfDataError(
      `record too short for its ${size}-byte sample_id trailer`,
      c.absolute(end),
      'sample_id',
    );
  }
  // Read in place (no cursor allocated: every non-sample record has a trailer), into locals and
  // then one object (one allocation, one shape: a deferred recording has one per sample).
  const saved = c.pos;
  c.pos = start;
  const t = event.attr.sampleType;
  let pid = -1;
  let tid = -1;
  let time = 0;
  let hasTime = false;
  let id = 0;
  let streamId = 0;
  let cpu = -1;
  if (t & SampleType.TID) {
    pid = c.i32('sample_id.pid');
    tid = c.i32('sample_id.tid');
  }
  if (t & SampleType.TIME) {
    c.readHalves('sample_id.time');
    hasTime = usableTime(c.lo, c.hi);
    time = times.fromHalves(c.lo, c.hi);
  }
  if (t & SampleType.ID) id = c.u64Count('sample_id.id');
  if (t & SampleType.STREAM_ID) streamId = c.u64Count('sample_id.stream_id');
  if (t & SampleType.CPU) {
    cpu = c.u32('sample_id.cpu');
    c.skip(4, 'sample_id.cpu_res');
  }
  if (t & SampleType.IDENTIFIER) id = c.u64Count('sample_id.identifier');
  c.pos = saved;
  return { pid, tid, time, hasTime, id, streamId, cpu };
}

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `nr` u64 words, exact, as [lo, hi] pairs. */
export function readWords(c: Cursor, nr: number, field: string): U64Words {
  if (nr > c.remaining / 8) {
    throw new PerfDataError(
      `${field}: ${nr} entries do not fit in the ${c.remaining} bytes left`,
      c.absolute(),
      field,
    );
  }
  const v = c.view;
  let p = c.pos;
  const at = v.byteOffset + p;
  if (c.le && LITTLE_ENDIAN_HOST && at % 4 === 0) {
    // Zero copy: the words are a view into the read buffer (which stays alive while used).
    c.pos = p + 8 * nr;
    return new Uint32Array(v.buffer, at, 2 * nr);
  }
  const out = new Uint32Array(2 * nr);
  if (c.le) {
    for (let i = 0; i < 2 * nr; i += 2, p += 8) {
      out[i] = v.getUint32(p, true);
      out[i + 1] = v.getUint32(p + 4, true);
    }
  } else {
    for (let i = 0; i < 2 * nr; i += 2, p += 8) {
      out[i + 1] = v.getUint32(p, false);
      out[i] = v.getUint32(p + 4, false);
    }
  }
  c.pos = p;
  return out;
}

/** struct read_format, in both its single-counter and group shapes. */
export function readValues(c: Cursor, readFormat: number, field: string): ReadValues {
  const out: ReadValues = { values: [] };
  const one = (): { value: number; id?: number; lost?: number } => {
    const v: { value: number; id?: number; lost?: number } = {
      value: c.u64Count(`${field}.value`),
    };
    if (readFormat & ReadFormat.ID) v.id = c.u64Count(`${field}.id`);
    if (readFormat & ReadFormat.LOST) v.lost = c.u64Count(`${field}.lost`);
    return v;
  };
  if (readFormat & ReadFormat.GROUP) {
    const nr = c.u64Count(`${field}.nr`);
    if (readFormat & ReadFormat.TOTAL_TIME_ENABLED)
      out.timeEnabled = c.u64Count(`${field}.time_enabled`);
    if (readFormat & ReadFormat.TOTAL_TIME_RUNNING)
      out.timeRunning = c.u64Count(`${field}.time_running`);
    const each =
      8 * (1 + (readFormat & ReadFormat.ID ? 1 : 0) + (readFormat & ReadFormat.LOST ? 1 : 0));
    if (nr > c.remaining / each) {
      throw new PerfDataError(
        `${field}: group of ${nr} values does not fit`,
        c.absolute(),
        `${field}.nr`,
      );
    }
    for (let i = 0; i < nr; i++) out.values.push(one());
  } else {
    const value = c.u64Count(`${field}.value`);
    if (readFormat & ReadFormat.TOTAL_TIME_ENABLED)
      out.timeEnabled = c.u64Count(`${field}.time_enabled`);
    if (readFormat & ReadFormat.TOTAL_TIME_RUNNING)
      out.timeRunning = c.u64Count(`${field}.time_running`);
    const v: { value: number; id?: number; lost?: number } = { value };
    if (readFormat & ReadFormat.ID) v.id = c.u64Count(`${field}.id`);
    if (readFormat & ReadFormat.LOST) v.lost = c.u64Count(`${field}.lost`);
    out.values.push(v);
  }
  return out;
}

function readBranchStack(c: Cursor, branchSampleType: number): BranchStack {
  const nr = c.u64Count('sample.branch_stack.nr');
  const bs: BranchStack = { entries: [] };
  if (branchSampleType & BranchSampleType.HW_INDEX)
    bs.hwIndex = c.u64Signed('sample.branch_stack.hw_idx');
  if (nr > c.remaining / 24) {
    throw new PerfDataError(
      `branch stack of ${nr} entries does not fit`,
      c.absolute(),
      'sample.branch_stack.nr',
    );
  }
  for (let i = 0; i < nr; i++) {
    bs.entries.push({
      from: c.u64Signed('branch.from'),
      to: c.u64Signed('branch.to'),
      flags: c.u64('branch.flags'),
    });
  }
  if (branchSampleType & BranchSampleType.COUNTERS) {
    bs.counters = [];
    for (let i = 0; i < nr; i++) bs.counters.push(c.u64('branch.counters'));
  }
  return bs;
}

function readRegs(c: Cursor, mask: bigint, field: string): SampleRegs {
  const abi = c.u64Count(`${field}.abi`);
  if (abi === 0) return { abi, mask, values: new Uint32Array(0) };
  return { abi, mask, values: readWords(c, popcount64(mask), `${field}.regs`) };
}
