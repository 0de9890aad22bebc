/**
 * The load worker: reads, parses, orders and merges a recording on its own thread while the
 * session's thread builds the model (two cores, one recording). It posts what the pipeline
 * delivers in batches (sample-batches.ts), keeps at most a few batches in flight, and ends with
 * the read's summary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PerfDataReader } from '../perf-data/reader';
import { SampleReadDelivery } from '../perf-data/sample-read';
import { DeferredMerger, type MergeStats } from '../merge/deferred-merge';
import { isSideBand } from '../machine/machine';
import { BatchWriter, batchTransfer, type SampleBatch } from '../model/sample-batches';
import { isTimelineRecord } from '../model/timeline-collector';
import { TraceFactsReader, type TraceFacts } from '../model/trace-facts';
import type {
  LostRecord,
  LostSamplesRecord,
  SampleRecord,
  SwitchRecord,
} from '../perf-data/records';

export interface LoadWorkerData {
  path: string;
  /** Post the CALLCHAIN_DEFERRED records the merge consumed (LoadOptions.rawView). */
  rawView: boolean;
  /** Of those, not the ones the session can read later (LoadOptions.recordsLater). */
  recordsLater?: boolean;
  /** Note the cookies merged chains hold (SampleBatch.cookies: `perfws script` marks them). */
  markCookies?: boolean;
}

export interface LoadWorkerDone {
  kind: 'done';
  truncatedAt?: number;
  error?: { message: string; offset: number; field?: string };
  merge: MergeStats;
  stats: PerfDataReader['stats'];
  warnings: PerfDataReader['warnings'];
  warningCount: number;
  timeBase: string;
  eventNames: string[];
}

export type LoadWorkerMessage =
  | SampleBatch
  | { kind: 'progress'; done: number; total: number | undefined }
  | LoadWorkerDone
  | { kind: 'failed'; message: string };

/**
 * Batches posted and not yet built (about 0.4 MB each): enough to read on while the session's
 * thread loads a kernel's symbols, few enough to bound memory.
 */
const MAX_IN_FLIGHT = 48;

/**
 * Below this many batches in flight the session's thread is keeping up (it would soon wait):
 * merged samples' chains are shipped for it to number (BatchWriter's `ship`). More (8, 16)
 * measured no faster on the benchmark recordings and keeps more words in flight.
 */
const SHIP_BELOW = 4;

async function run(port: NonNullable<typeof parentPort>, data: LoadWorkerData): Promise<void> {
  const controller = new AbortController();
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const post = (m: LoadWorkerMessage, transfer?: ArrayBuffer[]): void =>
    port.postMessage(m, transfer);
  const writer = new BatchWriter(
    (batch) => {
      inFlight++;
      batch.timeBase = reader.times.base.toString();
      post(batch, batchTransfer(batch));
    },
    () => inFlight < SHIP_BELOW,
    data.markCookies,
    data.recordsLater,
  );
  port.on('message', (m: { kind: string; buffer?: unknown; words?: unknown }) => {
    if (m.kind === 'ack') {
      inFlight--;
      if (m.buffer instanceof ArrayBuffer)
        writer.recycle(m.buffer, m.words instanceof ArrayBuffer ? m.words : undefined);
      wake?.();
    } else if (m.kind === 'cancel') controller.abort();
  });
  const reader = PerfDataReader.open(data.path);
  try {
    // samples with group reads become one sample per member, as perf delivers them
    const reads = new SampleReadDelivery(reader.events);
    const trace = new TraceFactsReader(reader);
    const traceOf = (m: SampleRecord): TraceFacts | undefined =>
      trace.of(m.sample.event, m.sample.raw);
    const merger = new DeferredMerger(
      true,
      {
        // a closure per sample only for those delivered as several (group reads)
        sample: (r, chain, status) => {
          if (reads.splits(r)) reads.deliver(r, (m) => writer.sample(m, chain, status, traceOf(m)));
          else writer.sample(r, chain, status, traceOf(r));
        },
        merged: (r, head, ips) => {
          if (reads.splits(r))
            reads.deliver(r, (m) => writer.mergedSample(m, head, ips, traceOf(m)));
          else writer.mergedSample(r, head, ips, traceOf(r));
        },
        plain: (lease, record, event, time, status) =>
          writer.plainSample(lease, record, event, time, status),
        plainMerged: (lease, record, event, time, head, ips, from, length, wide) =>
          writer.plainMergedSample(lease, record, event, time, head, ips, from, length, wide),
        consumed: data.rawView ? (r, n) => writer.consumed(r, n) : undefined,
        consumedPlain: data.rawView
          ? (lease, record, event, time, n) => writer.consumedPlain(lease, record, event, time, n)
          : undefined,
        other: (r) => {
          if (isSideBand(r)) writer.sideBand(r);
          else if (isTimelineRecord(r.type))
            writer.timeline(r as SwitchRecord | LostRecord | LostSamplesRecord);
        },
        endOfSession: () => writer.endOfSession(),
      },
      // waiting samples keep their read buffer instead of being copied out of it
      { transient: true, retain: () => reader.retainDelivered() },
    );
    const result = await reader.read((r) => merger.accept(r), {
      // the merger and the writer copy whatever they keep
      recycleBuffers: true,
      // plain samples read in place: classic ones go by the merge (as its accept() sends them
      // on at once), deferred ones wait in it
      plainSamples: (lease, record, event, time, deferred) => {
        if (deferred) merger.acceptPlain(lease, record, event, time);
        else writer.plainSample(lease, record, event, time);
      },
      plainDeferred: true,
      deferredRecords: (lease, record, event, time) =>
        merger.acceptPlainRecord(lease, record, event, time),
      signal: controller.signal,
      onProgress: (done, total) => post({ kind: 'progress', done, total }),
      // back pressure: the session's thread decides the pace
      pace: async () => {
        while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      },
    });
    merger.finish();
    writer.flush();
    post({
      kind: 'done',
      truncatedAt: result.truncatedAt,
      error: result.error
        ? { message: result.error.message, offset: result.error.offset, field: result.error.field }
        : undefined,
      merge: merger.stats,
      stats: reader.stats,
      warnings: reader.warnings,
      warningCount: reader.warningCount,
      timeBase: reader.times.base.toString(),
      eventNames: reader.events.events.map((e) => e.name),
    });
  } catch (e) {
    post({ kind: 'failed', message: (e as Error).message });
  } finally {
    reader.close();
  }
}

/** The first message of the session to a pre-started worker (LoadWorkerStart) says what to load. */
function startMessage(m: unknown): LoadWorkerData | undefined {
  const start = m as Partial<LoadWorkerData> & { kind?: unknown };
  if (start?.kind !== 'load' || typeof start.path !== 'string') return undefined;
  return {
    path: start.path,
    rawView: start.rawView !== false,
    recordsLater: start.recordsLater === true,
    markCookies: start.markCookies === true,
  };
}

const port = parentPort;
if (port) {
  const data = workerData as LoadWorkerData | undefined;
  if (data) void run(port, data);
  else
    port.once('message', (m: unknown) => {
      const start = startMessage(m);
      if (start) void run(port, start);
      else
        port.postMessage({ kind: 'failed', message: 'the load worker was told nothing to load' });
    });
}
