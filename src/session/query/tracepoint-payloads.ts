import { AttrType, RecordType } from '../perf-data/constants';
import { PerfDataReader } from '../perf-data/reader';
import { TraceFormatter } from '../script/trace';

/** At most this many payloads are kept (a file controls how many tracepoint samples it has). */
export const MAX_TRACEPOINT_PAYLOADS = 2_000_000;
/** A payload longer than this is cut (perf prints arrays and strings of any length). */
export const MAX_PAYLOAD_LENGTH = 4096;

/**
 * The payloads of a recording's tracepoint samples, formatted as `perf script` prints them after
 * the event name (`prev_comm=forkexec prev_pid=28600 … ==> next_comm=…`). The model keeps no
 * RAW data, so the recording is read once more, on the first request that needs a payload;
 * a sample is found by thread id, absolute time and event (the first one when several share
 * all three).
 */
export class TracepointPayloads {
  private constructor(
    private readonly byKey: Map<string, string>,
    /** True when the recording had more tracepoint samples than are kept. */
    readonly capped: boolean,
  ) {}

  static key(tid: number, absoluteTime: bigint | number, event: number): string {
    return `${tid}:${absoluteTime}:${event}`;
  }

  get(tid: number, absoluteTime: bigint | number, event: number): string | undefined {
    return this.byKey.get(TracepointPayloads.key(tid, absoluteTime, event));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Reads `path` and formats every tracepoint sample's payload. */
  static async read(path: string, signal?: AbortSignal): Promise<TracepointPayloads> {
    const reader = PerfDataReader.open(path);
    try {
      const trace = new TraceFormatter(reader);
      const byKey = new Map<string, string>();
      let capped = false;
      await reader.read(
        (r) => {
          if (r.type !== RecordType.SAMPLE) return;
          const s = r.sample;
          if (s.event.attr.type !== AttrType.TRACEPOINT || !s.raw) return;
          const key = TracepointPayloads.key(s.tid, reader.times.absolute(s.time), s.event.index);
          if (byKey.has(key)) return;
          if (byKey.size >= MAX_TRACEPOINT_PAYLOADS) {
            capped = true;
            return;
          }
          const text = trace.format(s.event, s.raw);
          if (text !== undefined) byKey.set(key, text.slice(0, MAX_PAYLOAD_LENGTH));
        },
        { signal },
      );
      return new TracepointPayloads(byKey, capped);
    } finally {
      reader.close();
    }
  }
}
