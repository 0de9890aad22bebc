import { AttrType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import {
  formatTracepointSample,
  parseTracingData,
  type TracepointField,
  type TracepointFormat,
  type TracingData,
} from '../tracepoint';

/** What the timeline keeps of a tracepoint sample. */
export interface TraceFacts {
  /** The formatted fields, as perf script prints them after the event name. */
  text: string;
  /** A sched:sched_switch sample: who left (and in which state) and who came. */
  sched?: SchedSwitchFacts;
}

export interface SchedSwitchFacts {
  prevTid: number;
  /** prev_state as the kernel reports it: 0 (R) or TASK_REPORT_MAX (R+) mean still runnable. */
  prevState: number;
  nextTid: number;
}

/**
 * Reads tracepoint samples' payloads with the event formats stored in the recording (the same
 * formatting `perfws script` prints). Shared by the load worker and the single-thread load.
 */
export class TraceFactsReader {
  private data: TracingData | undefined | null = null;
  private readonly schedFields = new Map<number, SchedFields | undefined>();

  constructor(private readonly reader: PerfDataReader) {}

  /** The facts of a sample, undefined when it is not a tracepoint sample with a payload. */
  of(event: EventDesc, raw: Uint8Array | undefined): TraceFacts | undefined {
    if (!raw || event.attr.type !== AttrType.TRACEPOINT) return undefined;
    const format = this.tracingData()?.events.get(Number(event.attr.config));
    if (!format) return undefined;
    const text = formatTracepointSample(format, raw, this.reader.littleEndian);
    const fields = this.schedSwitchFields(format);
    if (!fields) return { text };
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const le = this.reader.littleEndian;
    return {
      text,
      sched: {
        prevTid: readInt(view, fields.prevPid, le),
        prevState: readInt(view, fields.prevState, le),
        nextTid: readInt(view, fields.nextPid, le),
      },
    };
  }

  private tracingData(): TracingData | undefined {
    if (this.data === null) {
      const bytes = this.reader.info.tracingData;
      try {
        this.data = bytes ? parseTracingData(bytes) : undefined;
      } catch {
        // perfws script warns about it; the timeline just goes without tracepoint details
        this.data = undefined;
      }
    }
    return this.data;
  }

  private schedSwitchFields(format: TracepointFormat): SchedFields | undefined {
    if (!this.schedFields.has(format.id)) {
      const field = (name: string): TracepointField | undefined =>
        format.fields.find((f) => f.name === name && !f.isArray && f.size <= 8);
      const prevPid = field('prev_pid');
      const prevState = field('prev_state');
      const nextPid = field('next_pid');
      const isSchedSwitch = format.system === 'sched' && format.name === 'sched_switch';
      this.schedFields.set(
        format.id,
        isSchedSwitch && prevPid && prevState && nextPid
          ? { prevPid, prevState, nextPid }
          : undefined,
      );
    }
    return this.schedFields.get(format.id);
  }
}

interface SchedFields {
  prevPid: TracepointField;
  prevState: TracepointField;
  nextPid: TracepointField;
}

/** A signed field of 1 to 8 bytes (pid_t, long), 0 when it lies outside the payload. */
function readInt(view: DataView, f: TracepointField, le: boolean): number {
  if (f.offset + f.size > view.byteLength) return 0;
  switch (f.size) {
    case 1:
      return view.getInt8(f.offset);
    case 2:
      return view.getInt16(f.offset, le);
    case 4:
      return view.getInt32(f.offset, le);
    case 8:
      return Number(view.getBigInt64(f.offset, le));
    default:
      return 0;
  }
}
