import { runHeard, startLoadWorker } from './model/load-worker-host';
import {
  BatchChains,
  ItemKind,
  hasAny,
  sampleFacts,
  type SampleBatch,
} from './model/sample-batches';
import type { CommRecord, MmapRecord, TaskRecord } from './perf-data/records';
import { postedPerfDataError } from './perf-data/errors';
import type { Sample } from './perf-data/sample';
import type { U64Words } from './perf-data/u64';
import type { Pipeline, PipelineResult } from './pipeline';
import { readsInWorker } from './model/model-builder';
import type { MergeStatus } from './merge/deferred-merge';
import type { Cookie } from './script/printer';
import { SampleType } from './perf-data/constants';
import type { PerfDataReader } from './perf-data/reader';

/**
 * What a load-worker batch row has of a sample: no DWARF registers (regsUser and stackUser stay
 * undefined), no raw data, no recorded chain (a merged sample's cookie comes apart: runPipelineInWorker's `cookie`).
 */
export type WorkerSample = Pick<
  Sample,
  'pid' | 'tid' | 'time' | 'cpu' | 'ip' | 'misc' | 'period' | 'event' | 'regsUser' | 'stackUser'
>;

/**
 * Whether runPipelineInWorker can read `reader`'s recording for a command: one large enough for a
 * worker to pay (readsInWorker), with merging on (the worker merges) and no DWARF user stacks
 * (their registers and stack copies are not sent). What else a command needs is its own check.
 */
export function pipelineWorkerReads(
  reader: PerfDataReader,
  options: { merge?: boolean; singleThread?: boolean },
): boolean {
  return (
    options.merge !== false &&
    readsInWorker(reader, options) &&
    !reader.events.events.some((e) => e.attr.sampleType & SampleType.STACK_USER)
  );
}

/**
 * Pipeline.run() with the reading, ordering, merging and chain numbering in a load worker (the
 * model's load does the same: two cores instead of one), for `perfws report` and `perfws
 * script`: the samples come to `sample` in perf's order with their merged chains, `chain` their
 * number (the same words, the same number), while the side-band records update the pipeline's
 * process model in between, and the reader's time base is the worker's. `s` is one object,
 * refilled for every sample (copy what is kept), `status` how the merge delivered it, and with
 * `options.cookies` `cookie` is a merged sample's cookie when its merged chain holds that value.
 * Undefined when no worker could be started: the caller reads on its own thread.
 */
export async function runPipelineInWorker(
  pipeline: Pipeline,
  sample: (
    s: WorkerSample,
    words: U64Words | undefined,
    chain: number,
    status: MergeStatus,
    cookie: Cookie | undefined,
  ) => void,
  options: { signal?: AbortSignal; cookies?: boolean } = {},
): Promise<PipelineResult | undefined> {
  const reader = pipeline.reader;
  // the consumed records are the model's merging-off view: not wanted here
  const worker = startLoadWorker({
    path: reader.path,
    rawView: false,
    markCookies: options.cookies,
  });
  if (!worker) return undefined;
  try {
    pipeline.prepareKernelSymbols();
    const events = reader.events.events;
    const chains = new BatchChains();
    const facts: WorkerSample = {
      pid: 0,
      tid: 0,
      time: 0,
      cpu: 0,
      ip: 0,
      misc: 0,
      period: 0,
      event: events[0]!,
      regsUser: undefined,
      stackUser: undefined,
    };
    let timeBase = '';
    const apply = (b: SampleBatch): void => {
      chains.begin(b);
      if (b.timeBase !== timeBase) reader.times.adopt(BigInt((timeBase = b.timeBase)));
      // almost every batch has none: a lookup per sample in an empty object is not free
      const cookies = hasAny(b.cookies) ? b.cookies : undefined;
      for (let i = 0; i < b.length; i++) {
        switch (b.item[i]) {
          case ItemKind.SAMPLE: {
            const id = chains.sample(b, i);
            sampleFacts(b, i, events, facts);
            const words = id < 0 ? undefined : chains.chains.get(id);
            sample(facts, words, id, b.status[i]! as MergeStatus, cookies?.[i]);
            break;
          }
          case ItemKind.SIDE_BAND:
            pipeline.machine.process(b.records[b.ref[i]!] as MmapRecord | CommRecord | TaskRecord);
            break;
          case ItemKind.END_OF_SESSION:
            pipeline.endOfSession();
            break;
        }
      }
    };
    const done = await runHeard(worker, { batch: apply, signal: options.signal });
    // a worker that never got going: the caller reads on its own thread
    if (!done) return undefined;
    reader.adoptRead(done);
    return {
      truncatedAt: done.truncatedAt,
      error: done.error && postedPerfDataError(done.error),
      merge: done.merge,
      symbolWarnings: pipeline.resolver.warnings(),
    };
  } finally {
    await worker.stop();
  }
}
