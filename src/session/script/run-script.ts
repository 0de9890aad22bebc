import { MAX_STACK, resolveCallchain } from '../machine/callchain';
import { MergeStatus } from '../merge/deferred-merge';
import type { Machine } from '../machine/machine';
import { Pipeline, type PipelineResult } from '../pipeline';
import { AttrType, RecordType, SampleType } from '../perf-data/constants';
import { pipelineWorkerReads, runPipelineInWorker, type WorkerSample } from '../pipeline-worker';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { u64PeriodText } from '../perf-data/sample-read';
import type { CallchainDeferredRecord, KernelRecord, SampleRecord } from '../perf-data/records';
import { hexFromHalves, holdsEntry, wordsLength, type U64Words } from '../perf-data/u64';
import { UserUnwinder } from '../machine/user-unwind';
import { CallchainTexts } from './callchain-texts';
import { Field, OutputFields, outputType } from './fields';
import {
  formatCallchain,
  formatSampleIp,
  formatStart,
  padStart,
  printIpOpts,
  type Cookie,
} from './printer';
import { TraceFormatter } from './trace';
import type { SymbolOptions } from '../symbols';

export interface ScriptOptions {
  /** `-F` arguments, in order. */
  fields?: string[];
  /** Merge deferred callchains (perf 6.19 default); false = `--no-merge-callchains`. */
  merge?: boolean;
  /** Where symbols come from (perf's --symfs, --kallsyms, --buildid-dir, --no-demangle). */
  symbols?: SymbolOptions;
  /** Receives the output in chunks; the bytes are reused after the call returns. */
  write: (bytes: Uint8Array) => void;
  signal?: AbortSignal;
  /** As LoadOptions.singleThread: by default a load worker reads large recordings. */
  singleThread?: boolean;
}

export interface ScriptResult extends PipelineResult {
  machine: Machine;
}

/**
 * Buffers output so that a million samples do not become a million writes: each sample's text
 * is encoded straight into one reusable byte buffer, handed to `write` when full.
 */
class Output {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  constructor(private readonly write: (bytes: Uint8Array) => void) {}
  push(s: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.pos + 3 * s.length > this.buf.length) {
      this.flush();
      if (3 * s.length > this.buf.length) this.buf = Buffer.allocUnsafe(3 * s.length);
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  /** Text encoded before (a cached callchain): copied, not encoded again. */
  pushBytes(bytes: Uint8Array): void {
    if (this.pos + bytes.length > this.buf.length) {
      this.flush();
      if (bytes.length > this.buf.length) this.buf = Buffer.allocUnsafe(bytes.length);
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  flush(): void {
    if (this.pos === 0) return;
    this.write(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/**
 * `perf script`: every sample (and, with merging off, every deferred callchain record) printed
 * in perf's delivery order with perf 6.1's layout and perf 6.19's deferred-callchain handling.
 */
export async function runScript(
  reader: PerfDataReader,
  options: ScriptOptions,
): Promise<ScriptResult> {
  const out = new Output(options.write);
  const fields = new OutputFields();
  for (const f of options.fields ?? []) fields.parse(f);
  const pipe = reader.header.pipe;
  if (!pipe) fields.checkFileMode(reader.events);
  let pipeChecked = false;
  // every record is printed before the next is read: its read buffer can be reused
  const pipeline = new Pipeline(reader, { ...options, recycleBuffers: true });
  const { machine, symbols } = pipeline;
  const trace = new TraceFormatter(reader);
  const chainTexts = new CallchainTexts(machine);
  if (!pipe) trace.nameEvents();
  let nameWidth = 0;

  const hasCallchain = (e: EventDesc): boolean => (e.attr.sampleType & SampleType.CALLCHAIN) !== 0;
  const ensureChecked = (): void => {
    if (!pipe || pipeChecked) return;
    pipeChecked = true;
    trace.nameEvents();
    for (const e of reader.events.events) fields.checkPipeAttr(reader.events, e);
  };

  const startOf = (event: EventDesc, r: PrintedRecord, f: number): string => {
    const sid = r.sid;
    const thread = machine.findnewThread(sid.pid, sid.tid);
    return formatStart({
      fields: f,
      unpaddedComm: (f & Field.IP) !== 0 && hasCallchain(event) && fields.useCallchain,
      comm: thread.comm,
      pid: sid.pid,
      tid: sid.tid,
      cpu: sid.cpu,
      misc: r.misc,
      time: hasTimeField(event, r) ? reader.times.absolute(sid.time) : NO_TIME,
    });
  };

  /**
   * `workerCookie`: for a sample read by a load worker (no recorded chain), the cookie of a merged
   * sample whose merged chain holds it.
   */
  const printSample = (
    r: PrintedSample,
    chain: U64Words | undefined,
    status: MergeStatus,
    chainId = -1,
    workerCookie?: Cookie,
  ): void => {
    ensureChecked();
    const s = r.sample;
    const event = s.event;
    const f = fields.fields(outputType(event.attr.type));
    if (f === 0) return;
    let line = startOf(event, r, f);
    if (f & Field.PERIOD) line += `${padStart(u64PeriodText(s.period), 10)} `;
    if (f & Field.EVNAME) {
      if (nameWidth === 0) nameWidth = reader.events.maxNameLength();
      line += `${padStart(event.name, nameWidth)}: `;
    }
    if (f & Field.TRACE && s.raw) line += trace.format(event, s.raw) ?? '';
    if (f & Field.IP) {
      const opts = printIpOpts(f);
      const thread = machine.findnewThread(s.pid, s.tid);
      if (fields.useCallchain && chain) {
        const cookie = r.sample.callchain
          ? printedCookie(r.sample.callchain, chain, status)
          : status === MergeStatus.MERGED
            ? workerCookie
            : printedCookie(chain, chain, status); // an unmerged chain is the recorded one
        const format = (): string => {
          const frames = resolveCallchain(machine, thread, chain);
          frames.push(...pipeline.unwinder.frames(thread, s, MAX_STACK));
          return formatCallchain(frames, chain, opts, symbols, cookie);
        };
        // A chain's text is cached by its words: not for DWARF samples (frames unwound from their
        // own stack copy) nor for a merged chain with the cookie among its user addresses.
        if (UserUnwinder.applies(s) || (cookie && status === MergeStatus.MERGED)) {
          line += '\n' + format();
        } else {
          out.push(line + '\n');
          const variant = 2 * f + (cookie ? 1 : 0);
          out.pushBytes(chainTexts.bytes(thread, chain, variant, format, chainId));
          line = '';
        }
      } else {
        const loc = machine.findMap(thread, s.misc & 7, s.ip);
        line += ' ' + formatSampleIp(s.ip, loc, opts, symbols);
      }
    }
    out.push(line + '\n');
  };

  /** perf 6.19's process_deferred_sample_event (`--no-merge-callchains`). */
  const printDeferred = (r: CallchainDeferredRecord): void => {
    ensureChecked();
    const event = r.event!;
    const f = fields.fields(outputType(event.attr.type));
    if (f === 0) return;
    let line =
      startOf(event, r, f) +
      `DEFERRED CALLCHAIN [cookie: ${hexFromHalves(r.cookieLo, r.cookieHi)}]`;
    if (f & Field.IP) {
      const thread = machine.findnewThread(r.sid.pid, r.sid.tid);
      const opts = printIpOpts(f);
      if (fields.useCallchain) {
        // the record's own cookie is not marked: perf parses it without deferred_callchain. Its
        // ips are printed as a sample's chain of the same words is, and cached with them.
        const format = (): string =>
          formatCallchain(
            resolveCallchain(machine, thread, r.ips),
            r.ips,
            opts,
            symbols,
            undefined,
          );
        out.push(line + '\n');
        out.pushBytes(chainTexts.bytes(thread, r.ips, 2 * f, format));
        line = '';
      } else {
        // no callchain printing: perf prints the record's sample ip, which its parser leaves at 0
        line += ' ' + formatSampleIp(0, machine.findMap(thread, r.misc & 7, 0), opts, symbols);
      }
    }
    out.push(line + '\n');
  };

  // Two cores when a load worker can deliver everything a line needs (not a tracepoint's raw
  // data)
  const twoCores =
    reader.events.events.every((e) => e.attr.type !== AttrType.TRACEPOINT) &&
    pipelineWorkerReads(reader, options);
  let result: PipelineResult;
  try {
    let record: PrintedSample | undefined;
    const inWorker = twoCores
      ? await runPipelineInWorker(
          pipeline,
          (s, chain, id, status, cookie) => {
            // a sample's facts are its sample_id's too (as a parsed sample's are)
            record ??= { type: RecordType.SAMPLE, misc: 0, sid: s, sample: s };
            record.misc = s.misc;
            record.sid = record.sample = s;
            printSample(record, chain, status, id, cookie);
          },
          { signal: options.signal, cookies: true },
        )
      : undefined;
    result = inWorker ?? (await pipeline.run({ sample: printSample, deferred: printDeferred }));
  } finally {
    out.flush();
  }
  return { ...result, machine };
}

/** What a printed line reads of a record (a sample, or a record with merging off). */
type PrintedRecord = Pick<KernelRecord, 'type' | 'misc'> & {
  sid: Pick<KernelRecord['sid'], 'pid' | 'tid' | 'cpu' | 'time'>;
};

/**
 * What printSample reads of a sample: a load-worker batch row has it too (runPipelineInWorker),
 * but for a tracepoint's raw data and the chain as recorded (for a merged sample's cookie, the
 * worker notes it: runPipelineInWorker's `cookie`).
 */
type PrintedSample = PrintedRecord & {
  sample: WorkerSample & Partial<Pick<SampleRecord['sample'], 'raw' | 'callchain'>>;
};

/** u64 -1: the time perf's parser leaves in a record that carries none. */
const NO_TIME = 0xffff_ffff_ffff_ffffn;

/**
 * Whether the record carries a time: a sample when its sample_type has TIME, any other record
 * when its event also has sample_id_all (evsel__parse_sample leaves the time at -1 otherwise, and
 * perf script prints that: 18446744073.709551).
 */
function hasTimeField(event: EventDesc, r: { type: number }): boolean {
  if (!(event.attr.sampleType & SampleType.TIME)) return false;
  return r.type === RecordType.SAMPLE || event.idTrailerSize > 0;
}

/**
 * The cookie perf 6.19 marks in a sample's printed callchain: perf keeps
 * `sample->deferred_callchain` set for a merged sample, a sample flushed at the end and every
 * deferred sample with merging off, and clears it for a sample delivered on a cookie mismatch
 * (whose cookie then prints as an unknown address). A merged sample is marked only when its chain
 * holds the cookie's value somewhere (else marking changes nothing). `recorded`: the sample's
 * chain as recorded, whose last entry is the cookie.
 */
function printedCookie(
  recorded: U64Words,
  chain: U64Words,
  status: MergeStatus,
): Cookie | undefined {
  if (
    status !== MergeStatus.MERGED &&
    status !== MergeStatus.UNMERGED_END_OF_SESSION &&
    status !== MergeStatus.DEFERRED_RAW
  ) {
    return undefined;
  }
  const last = wordsLength(recorded) - 1;
  const cookie = { lo: recorded[2 * last]!, hi: recorded[2 * last + 1]! };
  if (status === MergeStatus.MERGED && !holdsEntry(chain, cookie.lo, cookie.hi)) return undefined;
  return cookie;
}
