import { Misc, RecordType, SampleType } from './constants';
import { Cursor } from './cursor';
import { PerfDataError } from './errors';
import type { EventDesc } from './evlist';
import {
  parseSample,
  parseSampleIdTrailer,
  readValues,
  readWords,
  type ReadValues,
  type Sample,
  type SampleId,
  type TimeBase,
  isCount,
  timeAt,
} from './sample';
import type { U64Words } from './u64';

/** Fields every record carries once parsed. */
interface RecordBase {
  /** Absolute file offset of the record header (for compressed data: of the COMPRESSED record). */
  offset: number;
  misc: number;
  size: number;
  /** The event the record belongs to (by its id), or the first event. */
  event: EventDesc | undefined;
  /** The sample_id trailer (pid/tid/time/cpu/id); pid = tid = -1 when absent. */
  sid: SampleId;
  /** Position among all records in file order (records inside COMPRESSED ones included). */
  seq: number;
}

export interface SampleRecord extends RecordBase {
  type: typeof RecordType.SAMPLE;
  sample: Sample;
}

/** MMAP and MMAP2 (perf_record_mmap / perf_record_mmap2). */
export interface MmapRecord extends RecordBase {
  type: typeof RecordType.MMAP | typeof RecordType.MMAP2;
  pid: number;
  tid: number;
  /** Start address (signed address encoding) and length. */
  start: number;
  len: number;
  pgoff: number;
  /** MMAP2 only (0 otherwise). */
  maj: number;
  min: number;
  ino: bigint;
  inoGeneration: bigint;
  /** MMAP2 with PERF_RECORD_MISC_MMAP_BUILD_ID: lower-case hex. */
  buildId?: string;
  prot: number;
  flags: number;
  filename: string;
}

export interface CommRecord extends RecordBase {
  type: typeof RecordType.COMM;
  pid: number;
  tid: number;
  comm: string;
  exec: boolean;
}

/** FORK and EXIT (perf_record_fork). */
export interface TaskRecord extends RecordBase {
  type: typeof RecordType.FORK | typeof RecordType.EXIT;
  pid: number;
  ppid: number;
  tid: number;
  ptid: number;
  time: number;
}

export interface LostRecord extends RecordBase {
  type: typeof RecordType.LOST;
  id: number;
  lost: number;
}

export interface LostSamplesRecord extends RecordBase {
  type: typeof RecordType.LOST_SAMPLES;
  lost: number;
}

export interface ThrottleRecord extends RecordBase {
  type: typeof RecordType.THROTTLE | typeof RecordType.UNTHROTTLE;
  time: number;
  id: number;
  streamId: number;
}

export interface ReadRecord extends RecordBase {
  type: typeof RecordType.READ;
  pid: number;
  tid: number;
  values: ReadValues;
}

export interface AuxRecord extends RecordBase {
  type: typeof RecordType.AUX;
  auxOffset: bigint;
  auxSize: bigint;
  flags: bigint;
}

export interface ItraceStartRecord extends RecordBase {
  type: typeof RecordType.ITRACE_START;
  pid: number;
  tid: number;
}

/** SWITCH and SWITCH_CPU_WIDE. */
export interface SwitchRecord extends RecordBase {
  type: typeof RecordType.SWITCH | typeof RecordType.SWITCH_CPU_WIDE;
  out: boolean;
  preempt: boolean;
  /** SWITCH_CPU_WIDE: the task switched to (out) or from (in); -1 otherwise. */
  nextPrevPid: number;
  nextPrevTid: number;
}

export interface NamespacesRecord extends RecordBase {
  type: typeof RecordType.NAMESPACES;
  pid: number;
  tid: number;
  namespaces: { dev: bigint; ino: bigint }[];
}

export interface KsymbolRecord extends RecordBase {
  type: typeof RecordType.KSYMBOL;
  addr: number;
  len: number;
  ksymType: number;
  flags: number;
  name: string;
}

export interface BpfEventRecord extends RecordBase {
  type: typeof RecordType.BPF_EVENT;
  bpfType: number;
  flags: number;
  id: number;
  tag: string;
}

export interface CgroupRecord extends RecordBase {
  type: typeof RecordType.CGROUP;
  id: bigint;
  path: string;
}

export interface TextPokeRecord extends RecordBase {
  type: typeof RecordType.TEXT_POKE;
  addr: number;
  oldBytes: Uint8Array;
  newBytes: Uint8Array;
}

export interface AuxOutputHwIdRecord extends RecordBase {
  type: typeof RecordType.AUX_OUTPUT_HW_ID;
  hwId: bigint;
}

/** PERF_RECORD_CALLCHAIN_DEFERRED: the user stack shared by the samples with this cookie. */
export interface CallchainDeferredRecord extends RecordBase {
  type: typeof RecordType.CALLCHAIN_DEFERRED;
  /** The cookie's low and high 32 bits (numbers: a bigint per record costs on the hot path). */
  cookieLo: number;
  cookieHi: number;
  /** User return addresses, innermost first, no leading marker. */
  ips: U64Words;
}

export type KernelRecord =
  | SampleRecord
  | MmapRecord
  | CommRecord
  | TaskRecord
  | LostRecord
  | LostSamplesRecord
  | ThrottleRecord
  | ReadRecord
  | AuxRecord
  | ItraceStartRecord
  | SwitchRecord
  | NamespacesRecord
  | KsymbolRecord
  | BpfEventRecord
  | CgroupRecord
  | TextPokeRecord
  | AuxOutputHwIdRecord
  | CallchainDeferredRecord;

export interface ParseEnv {
  times: TimeBase;
  seq: number;
}

/**
 * Parses a kernel record (type < 64). `c` spans exactly the record (header included, c.pos at the
 * header). `event` is the event found for it (by id) or undefined when no event matched.
 * Undefined for a type this reader does not know (counted and skipped): no object to tell apart
 * with an `in` test, which cost a deferred recording's load 70 ms (records of every shape pass).
 */
export function parseKernelRecord(
  c: Cursor,
  type: number,
  misc: number,
  size: number,
  event: EventDesc,
  env: ParseEnv,
): KernelRecord | undefined {
  const start = c.pos;
  const end = start + size;
  const offset = c.absolute(start);
  c.pos = start + 8;
  if (type === RecordType.SAMPLE) {
    const sample = parseSample(c, event, misc, env.times);
    return { type, offset, misc, size, event, sid: sample, sample, seq: env.seq };
  }
  const sid = parseSampleIdTrailer(c, event, end, env.times);
  const bodyEnd = end - event.idTrailerSize;
  if (type === RecordType.CALLCHAIN_DEFERRED) {
    // struct perf_record_callchain_deferred { header; u64 cookie; u64 nr; u64 ips[nr]; }
    // (one per kernel entry: as many as samples in a deferred recording, so no spread objects)
    c.readHalves('callchain_deferred.cookie');
    const { lo: cookieLo, hi: cookieHi } = c;
    const nr = c.u64Count('callchain_deferred.nr');
    if (nr > (bodyEnd - c.pos) / 8) {
      throw new PerfDataError(
        `callchain_deferred.ips: ${nr} entries do not fit in the record`,
        c.absolute(),
        'callchain_deferred.nr',
      );
    }
    const ips = readWords(c, nr, 'callchain_deferred.ips');
    const r: CallchainDeferredRecord = {
      type,
      offset,
      misc,
      size,
      event,
      sid,
      seq: env.seq,
      cookieLo,
      cookieHi,
      ips,
    };
    return r;
  }
  const body = new Cursor(c.view, c.le, c.base, c.pos, bodyEnd, c.what);
  const base = { offset, misc, size, event, sid, seq: env.seq };
  switch (type) {
    case RecordType.MMAP:
    case RecordType.MMAP2: {
      const pid = body.i32('mmap.pid');
      const tid = body.i32('mmap.tid');
      const start = body.u64Signed('mmap.start');
      const len = body.u64Signed('mmap.len');
      const pgoff = body.u64Signed('mmap.pgoff');
      const r: MmapRecord = {
        ...base,
        type,
        pid,
        tid,
        start,
        len,
        pgoff,
        maj: 0,
        min: 0,
        ino: 0n,
        inoGeneration: 0n,
        prot: 0,
        flags: 0,
        filename: '',
      };
      if (type === RecordType.MMAP2) {
        if (misc & Misc.MMAP_BUILD_ID) {
          const idSize = Math.min(body.u8('mmap2.build_id_size'), 20);
          body.skip(3, 'mmap2.reserved');
          r.buildId = hex(body.bytes(20, 'mmap2.build_id').subarray(0, idSize));
        } else {
          r.maj = body.u32('mmap2.maj');
          r.min = body.u32('mmap2.min');
          r.ino = body.u64('mmap2.ino');
          r.inoGeneration = body.u64('mmap2.ino_generation');
        }
        const prot = body.view.getUint32(body.pos, body.le);
        if (body.remaining >= 9 && prot <= 0xff) {
          r.prot = body.u32('mmap2.prot');
          r.flags = body.u32('mmap2.flags');
        } else {
          // RHEL 7's perf 3.10 wrote MMAP2 without prot and flags: the name follows ino_generation.
          r.prot = misc & Misc.MMAP_DATA ? 1 : 5;
          r.flags = 2;
        }
      } else {
        // perf assumes executable mappings for the old record (PROT_EXEC unless MMAP_DATA).
        r.prot = misc & Misc.MMAP_DATA ? 1 /* PROT_READ */ : 5; /* PROT_READ|PROT_EXEC */
        r.flags = 2; /* MAP_PRIVATE */
      }
      r.filename = body.cString(`${type === RecordType.MMAP ? 'mmap' : 'mmap2'}.filename`);
      return r;
    }
    case RecordType.COMM: {
      const pid = body.i32('comm.pid');
      const tid = body.i32('comm.tid');
      const comm = body.cString('comm.comm');
      return { ...base, type, pid, tid, comm, exec: (misc & Misc.COMM_EXEC) !== 0 };
    }
    case RecordType.FORK:
    case RecordType.EXIT: {
      const pid = body.i32('task.pid');
      const ppid = body.i32('task.ppid');
      const tid = body.i32('task.tid');
      const ptid = body.i32('task.ptid');
      const [lo, hi] = body.halves('task.time');
      return { ...base, type, pid, ppid, tid, ptid, time: env.times.fromHalves(lo, hi) };
    }
    case RecordType.LOST:
      return { ...base, type, id: body.u64Count('lost.id'), lost: body.u64Count('lost.lost') };
    case RecordType.LOST_SAMPLES:
      return { ...base, type, lost: body.u64Count('lost_samples.lost') };
    case RecordType.THROTTLE:
    case RecordType.UNTHROTTLE: {
      const [lo, hi] = body.halves('throttle.time');
      return {
        ...base,
        type,
        time: env.times.fromHalves(lo, hi),
        id: body.u64Count('throttle.id'),
        streamId: body.u64Count('throttle.stream_id'),
      };
    }
    case RecordType.READ: {
      const pid = body.i32('read.pid');
      const tid = body.i32('read.tid');
      return { ...base, type, pid, tid, values: readValues(body, event.attr.readFormat, 'read') };
    }
    case RecordType.AUX:
      return {
        ...base,
        type,
        auxOffset: body.u64('aux.aux_offset'),
        auxSize: body.u64('aux.aux_size'),
        flags: body.u64('aux.flags'),
      };
    case RecordType.ITRACE_START:
      return {
        ...base,
        type,
        pid: body.i32('itrace_start.pid'),
        tid: body.i32('itrace_start.tid'),
      };
    case RecordType.SWITCH:
    case RecordType.SWITCH_CPU_WIDE: {
      const wide = type === RecordType.SWITCH_CPU_WIDE;
      return {
        ...base,
        type,
        out: (misc & Misc.SWITCH_OUT) !== 0,
        preempt: (misc & Misc.SWITCH_OUT_PREEMPT) !== 0,
        nextPrevPid: wide ? body.i32('switch.next_prev_pid') : -1,
        nextPrevTid: wide ? body.i32('switch.next_prev_tid') : -1,
      };
    }
    case RecordType.NAMESPACES: {
      const pid = body.i32('namespaces.pid');
      const tid = body.i32('namespaces.tid');
      const nr = body.u64Count('namespaces.nr_namespaces');
      const max = Math.floor(body.remaining / 16);
      const namespaces: { dev: bigint; ino: bigint }[] = [];
      for (let i = 0; i < Math.min(nr, max); i++) {
        namespaces.push({ dev: body.u64('namespaces.dev'), ino: body.u64('namespaces.ino') });
      }
      return { ...base, type, pid, tid, namespaces };
    }
    case RecordType.KSYMBOL: {
      const addr = body.u64Signed('ksymbol.addr');
      const len = body.u32('ksymbol.len');
      const ksymType = body.u16('ksymbol.ksym_type');
      const flags = body.u16('ksymbol.flags');
      return { ...base, type, addr, len, ksymType, flags, name: body.cString('ksymbol.name') };
    }
    case RecordType.BPF_EVENT: {
      const bpfType = body.u16('bpf_event.type');
      const flags = body.u16('bpf_event.flags');
      const id = body.u32('bpf_event.id');
      return { ...base, type, bpfType, flags, id, tag: hex(body.bytes(8, 'bpf_event.tag')) };
    }
    case RecordType.CGROUP: {
      const id = body.u64('cgroup.id');
      return { ...base, type, id, path: body.cString('cgroup.path') };
    }
    case RecordType.TEXT_POKE: {
      const addr = body.u64Signed('text_poke.addr');
      const oldLen = body.u16('text_poke.old_len');
      const newLen = body.u16('text_poke.new_len');
      const oldBytes = body.bytes(oldLen, 'text_poke.old_bytes');
      const newBytes = body.bytes(newLen, 'text_poke.new_bytes');
      return { ...base, type, addr, oldBytes, newBytes };
    }
    case RecordType.AUX_OUTPUT_HW_ID:
      return { ...base, type, hwId: body.u64('aux_output_hw_id.hw_id') };
    default:
      return undefined;
  }
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * A CALLCHAIN_DEFERRED record's layout from its header, for records read in place
 * (PerfDataReader's deferredRecords): the cookie at 8, nr at 16, the ips from DEFERRED_IPS; the
 * sample_id trailer ends the record.
 */
const DEFERRED_COOKIE = 8;
const DEFERRED_NR = 16;
const DEFERRED_IPS = 24;

/**
 * The ips of the CALLCHAIN_DEFERRED record at `record` of `v` (little-endian, `size` bytes), to
 * read it in place: their count, or -1 when anything is out of the ordinary (a trailer without
 * tid and time, a count beyond 2^53, nr past the body, unaligned ips) and the parse must say what.
 */
export function deferredRecordEntries(
  v: DataView,
  record: number,
  size: number,
  event: EventDesc,
): number {
  const t = event.attr.sampleType;
  const trailer = record + size - event.idTrailerSize;
  if (event.idTrailerSize === 0 || !(t & SampleType.TID) || !(t & SampleType.TIME)) return -1;
  if (trailer < record + DEFERRED_IPS) return -1;
  // the trailer's counts below 2^53, as parseSampleIdTrailer's u64Count requires
  const id = trailer + 16; // past pid, tid and time
  const streamId = id + (t & SampleType.ID ? 8 : 0);
  const identifier = streamId + (t & SampleType.STREAM_ID ? 8 : 0) + (t & SampleType.CPU ? 8 : 0);
  if (t & SampleType.ID && !isCount(v, id)) return -1;
  if (t & SampleType.STREAM_ID && !isCount(v, streamId)) return -1;
  if (t & SampleType.IDENTIFIER && !isCount(v, identifier)) return -1;
  if (v.getUint32(record + DEFERRED_NR + 4, true) !== 0) return -1;
  const nr = v.getUint32(record + DEFERRED_NR, true);
  if (nr > (trailer - record - DEFERRED_IPS) / 8) return -1;
  return (v.byteOffset + record + DEFERRED_IPS) % 4 === 0 ? nr : -1;
}

/** Where a CALLCHAIN_DEFERRED record's sample_id trailer (pid, tid, time...) starts. */
function deferredRecordTrailer(v: DataView, record: number, event: EventDesc): number {
  return record + v.getUint16(record + 6, true) - event.idTrailerSize;
}

/** The pid of the CALLCHAIN_DEFERRED record at `record` (checked by deferredRecordEntries). */
export function deferredRecordPid(v: DataView, record: number, event: EventDesc): number {
  return v.getInt32(deferredRecordTrailer(v, record, event), true);
}

/** The tid of the CALLCHAIN_DEFERRED record at `record` (checked by deferredRecordEntries). */
export function deferredRecordTid(v: DataView, record: number, event: EventDesc): number {
  return v.getInt32(deferredRecordTrailer(v, record, event) + 4, true);
}

/** The low and high halves of the cookie of the CALLCHAIN_DEFERRED record at `record`. */
export function deferredRecordCookieLo(v: DataView, record: number): number {
  return v.getUint32(record + DEFERRED_COOKIE, true);
}

export function deferredRecordCookieHi(v: DataView, record: number): number {
  return v.getUint32(record + DEFERRED_COOKIE + 4, true);
}

/**
 * The ips of the CALLCHAIN_DEFERRED record at `record` (checked by deferredRecordEntries) as
 * u32 words of its buffer: the first one's index, and how many.
 */
export function deferredRecordIpsFrom(record: number): number {
  return (record + DEFERRED_IPS) >>> 2;
}

export function deferredRecordIpsLength(v: DataView, record: number): number {
  return 2 * v.getUint32(record + DEFERRED_NR, true);
}

/** The time of a CALLCHAIN_DEFERRED record checked by deferredRecordEntries (undefined: none). */
export function deferredRecordTime(
  v: DataView,
  record: number,
  event: EventDesc,
  times: TimeBase,
): number | undefined {
  return timeAt(v, deferredRecordTrailer(v, record, event) + 8, times);
}
