import { MAX_STACK, resolveCallchain } from '../machine/callchain';
import { MergeStatus } from '../merge/deferred-merge';
import type { Machine } from '../machine/machine';
import { Pipeline, type PipelineResult } from '../pipeline';
import { SampleType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { u64PeriodText } from '../perf-data/sample-read';
import type { CallchainDeferredRecord, KernelRecord, SampleRecord } from '../perf-data/records';
import { wordsLength, type U64Words } from '../perf-data/u64';
import { UserUnwinder } from '../machine/user-unwind';
import { CallchainTexts } from './callchain-texts';
import { Field, OutputFields, outputType } from './fields';
import { formatCallchain, formatSampleIp, formatStart, padStart, printIpOpts } from './printer';
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

  const startOf = (event: EventDesc, r: KernelRecord, f: number): string => {
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
      time: reader.times.absolute(sid.time),
    });
  };

  const printSample = (r: SampleRecord, chain: U64Words | undefined, status: MergeStatus): void => {
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
        // perf 6.19 prints the cookie of a sample still marked deferred as "(cookie)".
        const marked =
          status === MergeStatus.UNMERGED_END_OF_SESSION || status === MergeStatus.DEFERRED_RAW;
        const cookieIndex = marked ? wordsLength(chain) - 1 : -1;
        const format = (): string => {
          const frames = resolveCallchain(machine, thread, chain);
          frames.push(...pipeline.unwinder.frames(thread, s, MAX_STACK));
          return formatCallchain(frames, chain, opts, symbols, cookieIndex);
        };
        // DWARF samples add frames unwound from their own stack copy: not a function of the chain
        if (UserUnwinder.applies(s)) line += '\n' + format();
        else {
          out.push(line + '\n');
          out.pushBytes(chainTexts.bytes(thread, chain, 2 * f + (marked ? 1 : 0), format));
          line = '';
        }
      } else {
        const loc = machine.findMap(thread, s.misc & 7, s.ip);
        line += ' ' + formatSampleIp(s, loc, opts, symbols);
      }
    }
    out.push(line + '\n');
  };

  const printDeferred = (r: CallchainDeferredRecord): void => {
    ensureChecked();
    const event = r.event!;
    const f = fields.fields(outputType(event.attr.type));
    if (f === 0) return;
    let line = startOf(event, r, f) + `DEFERRED CALLCHAIN [cookie: ${r.cookie.toString(16)}]`;
    if (f & Field.IP) {
      const thread = machine.findnewThread(r.sid.pid, r.sid.tid);
      const frames = resolveCallchain(machine, thread, r.ips);
      line += '\n' + formatCallchain(frames, r.ips, printIpOpts(f), symbols, -1);
    }
    out.push(line + '\n');
  };

  let result: PipelineResult;
  try {
    result = await pipeline.run({ sample: printSample, deferred: printDeferred });
  } finally {
    out.flush();
  }
  return { ...result, machine };
}
