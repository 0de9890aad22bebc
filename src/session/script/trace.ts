import { AttrType } from '../perf-data/constants';
import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import { formatTracepointSample, parseTracingData, type TracingData } from '../tracepoint';

/**
 * Tracepoint payloads printed as perf prints them (the `trace` field), with the event formats
 * stored in the recording's tracing data. Also names tracepoint events the file leaves unnamed.
 */
export class TraceFormatter {
  private data: TracingData | undefined | null = null;

  constructor(private readonly reader: PerfDataReader) {}

  private tracingData(): TracingData | undefined {
    if (this.data === null) {
      const bytes = this.reader.info.tracingData;
      try {
        this.data = bytes ? parseTracingData(bytes) : undefined;
      } catch (e) {
        this.reader.warn(`tracing data unreadable: ${(e as Error).message}`, 0);
        this.data = undefined;
      }
    }
    return this.data;
  }

  format(event: EventDesc, raw: Uint8Array): string | undefined {
    const format = this.tracingData()?.events.get(Number(event.attr.config));
    if (!format) return undefined;
    return formatTracepointSample(format, raw, this.reader.littleEndian);
  }

  /** `sys:name` for tracepoint events without a name in the file (old perf versions). */
  nameEvents(): void {
    for (const e of this.reader.events.events) {
      if (e.named || e.attr.type !== AttrType.TRACEPOINT) continue;
      const format = this.tracingData()?.events.get(Number(e.attr.config));
      if (format) e.name = `${format.system}:${format.name}`;
    }
  }
}
