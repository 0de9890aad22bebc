import type {
  CallNodeInfo,
  CallNodeQuery,
  CallTreeAnswer,
  CallTreeQuery,
  AnnotateAnswer,
  AnnotateQuery,
  CallchainFrame,
  CallersAnswer,
  CallersQuery,
  FlameChartAnswer,
  FlameChartQuery,
  FlameGraphAnswer,
  FlameGraphQuery,
  FoldedExportOptions,
  OpenRequest,
  Progress,
  RecordingSummary,
  SamplePage,
  SamplePageQuery,
  SessionApi,
  SymbolSettings,
  ThreadSummary,
  TimelineAnswer,
  TimelineQuery,
  TopFunctionsAnswer,
  TopFunctionsQuery,
  CpuTracksAnswer,
  CpuTracksQuery,
  MarkersAnswer,
  MarkersQuery,
  SampleAtAnswer,
  SampleAtQuery,
} from '../shared/contract';
import { PROTOCOL_VERSION } from '../shared/contract';
import { SessionError } from '../shared/contract/errors';
import { isUnmerged, type Profile } from '../shared/model';
import type { CallContext, Service } from '../shared/rpc';
import { AnnotationCache, annotateFunction } from './annotate/function-annotation';
import { pprofProfile } from './export/pprof';
import { speedscopeFile } from './export/speedscope';
import { loadProfile } from './model/model-builder';
import { readLaterRecords } from './model/later-records';
import { prestartLoadWorker } from './model/load-worker-host';
import {
  checkCallNodeQuery,
  checkCallTreeQuery,
  checkAnnotateQuery,
  checkCallersQuery,
  checkFlameChartQuery,
  checkFlameGraphQuery,
  checkFoldedExportOptions,
  checkSamplePageQuery,
  checkStackIndex,
  checkTimelineQuery,
  checkTopFunctionsQuery,
  checkCpuTracksQuery,
  checkMarkersQuery,
  checkSampleAtQuery,
} from './request-bounds';
import { AttrType } from './perf-data/constants';
import { cpuTracks } from './query/cpu-tracks';
import { markers } from './query/markers';
import { switchSummary } from './query/off-cpu';
import { sampleAt } from './query/sample-at';
import { PerfDataError } from './perf-data/errors';
import { PerfDataReader } from './perf-data/reader';
import { callNode, callTree } from './query/call-tree';
import { defaultEvent } from './query/filters';
import { flameChart } from './query/flame-chart';
import { flameGraph } from './query/flame-graph';
import { foldedLines } from './query/folded';
import { callchain, samplePage } from './query/samples';
import { TracepointPayloads } from './query/tracepoint-payloads';
import { timeline } from './query/timeline';
import { callers, topFunctions } from './query/top-functions';
import { SymbolResolver } from './symbols';

/**
 * The session: holds one loaded recording and answers queries about it. Plain object
 * implementing the SessionApi contract; the transport (RPC over a port) is wired in main.ts.
 */
export class SessionService implements Service<SessionApi> {
  private profile: Profile | undefined;
  private threadSummaries: ThreadSummary[] | undefined;
  /** Tracepoint payloads, read on the first sample page that shows a tracepoint sample. */
  private tracepointPayloads: Promise<TracepointPayloads> | undefined;
  /** The deferred records the open left for later, read on the first page with merging off. */
  private laterRecords: Promise<void> | undefined;
  /** Stops that read when another recording is opened. */
  private laterRead = new AbortController();
  private symbolSettings: SymbolSettings = {};
  /** What annotate needs after the load: the symbol settings, tables and disassemblies. */
  private annotation:
    { symbols: SymbolSettings; resolver: SymbolResolver; cache: AnnotationCache } | undefined;

  async hello(_ctx: CallContext): Promise<{ protocol: number; pid: number }> {
    return { protocol: PROTOCOL_VERSION, pid: process.pid };
  }

  async open(request: OpenRequest, ctx: CallContext): Promise<RecordingSummary> {
    let reader: PerfDataReader;
    this.laterRead.abort();
    try {
      reader = PerfDataReader.open(request.path);
    } catch (e) {
      throw openError(request.path, e);
    }
    try {
      let last = 0;
      this.profile = await loadProfile(reader, {
        symbols: request.symbols,
        // the merging-off sample list asks for them (samples())
        recordsLater: true,
        signal: ctx.signal,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 50) return;
          last = now;
          const progress: Progress = { phase: 'reading', done, total };
          ctx.emit('progress', progress);
        },
        onBuilding: () => {
          const size = reader.stats.bytesTotal;
          const progress: Progress = { phase: 'building', done: size ?? 0, total: size };
          ctx.emit('progress', progress);
        },
      });
      this.threadSummaries = undefined;
      this.tracepointPayloads = undefined;
      this.laterRecords = undefined;
      this.annotation = undefined;
      this.symbolSettings = request.symbols ?? {};
      if (ctx.signal.aborted) {
        this.profile = undefined;
        throw new SessionError('cancelled', 'cancelled');
      }
    } catch (e) {
      if (ctx.signal.aborted) throw new SessionError('cancelled', 'cancelled');
      throw openError(request.path, e);
    } finally {
      reader.close();
      // and the next one finds its load worker started
      prestartLoadWorker();
    }
    return this.summaryOf(this.need());
  }

  async summary(_ctx: CallContext): Promise<RecordingSummary> {
    return this.summaryOf(this.need());
  }

  async threads(_ctx: CallContext): Promise<ThreadSummary[]> {
    const p = this.need();
    this.threadSummaries ??= p.threads.map((th, index) => {
      const s = th.samples;
      const periodByEvent = p.events.map(() => 0);
      const samplesByEvent = p.events.map(() => 0);
      const unmergedByEvent = p.events.map(() => 0);
      let unmerged = 0;
      for (let i = 0; i < s.length; i++) {
        const e = s.event[i]!;
        periodByEvent[e]! += s.period[i]!;
        samplesByEvent[e]!++;
        if (isUnmerged(s.status[i]!)) {
          unmerged++;
          unmergedByEvent[e]!++;
        }
      }
      return {
        index,
        tid: th.tid,
        pid: th.pid,
        name: th.name,
        processName: th.processName,
        comms: th.comms,
        samples: s.length,
        samplesByEvent,
        periodByEvent,
        firstSample: s.length ? s.time[0]! : 0,
        lastSample: s.length ? s.time[s.length - 1]! : 0,
        deferredRecords: p.meta.deferredRecordsLater ? undefined : th.deferredRecords.length,
        unmerged,
        unmergedByEvent,
        switches: switchSummary(th, p.meta.switchSource),
      };
    });
    return this.threadSummaries;
  }

  async timeline(query: TimelineQuery, _ctx: CallContext): Promise<TimelineAnswer> {
    const p = this.need();
    return timeline(p, checkTimelineQuery(query, p.threads.length));
  }

  async samples(request: SamplePageQuery, _ctx: CallContext): Promise<SamplePage> {
    const p = this.need();
    const query = checkSamplePageQuery(request);
    if (!Number.isInteger(query.thread) || query.thread < 0 || query.thread >= p.threads.length) {
      throw new SessionError('bad-request', `no thread ${query.thread}`);
    }
    if (query.filters?.merge === false && p.meta.deferredRecordsLater) await this.readLater(p);
    const page = samplePage(p, query);
    const isTracepoint = (e: number): boolean => p.events[e]?.type === AttrType.TRACEPOINT;
    if (page.rows.some((r) => isTracepoint(r.event))) {
      // read once for every later page, whoever asked first (a cancelled page does not stop it)
      this.tracepointPayloads ??= TracepointPayloads.read(p.meta.path);
      const payloads = await this.tracepointPayloads;
      const tid = p.threads[query.thread]!.tid;
      const start = BigInt(p.meta.startTime);
      for (const r of page.rows) {
        if (!isTracepoint(r.event)) continue;
        const trace = payloads.get(tid, start + BigInt(Math.round(r.time)), r.event);
        if (trace !== undefined) r.trace = trace;
      }
    }
    return page;
  }

  async callchain(stack: number, _ctx: CallContext): Promise<CallchainFrame[]> {
    return callchain(this.need(), checkStackIndex(stack));
  }

  async flameGraph(query: FlameGraphQuery, _ctx: CallContext): Promise<FlameGraphAnswer> {
    return flameGraph(this.need(), checkFlameGraphQuery(query));
  }

  async flameChart(request: FlameChartQuery, _ctx: CallContext): Promise<FlameChartAnswer> {
    const p = this.need();
    const query = checkFlameChartQuery(request);
    if (!Number.isInteger(query.thread) || query.thread < 0 || query.thread >= p.threads.length) {
      throw new SessionError('bad-request', `no thread ${query.thread}`);
    }
    return flameChart(p, query);
  }

  async topFunctions(query: TopFunctionsQuery, _ctx: CallContext): Promise<TopFunctionsAnswer> {
    return topFunctions(this.need(), checkTopFunctionsQuery(query));
  }

  async callers(query: CallersQuery, _ctx: CallContext): Promise<CallersAnswer> {
    return callers(this.need(), checkCallersQuery(query));
  }

  async callTree(query: CallTreeQuery, _ctx: CallContext): Promise<CallTreeAnswer> {
    return callTree(this.need(), checkCallTreeQuery(query));
  }

  async callNode(query: CallNodeQuery, _ctx: CallContext): Promise<CallNodeInfo> {
    return callNode(this.need(), checkCallNodeQuery(query));
  }

  async annotate(query: AnnotateQuery, ctx: CallContext): Promise<AnnotateAnswer> {
    const p = this.need();
    this.annotation ??= {
      symbols: this.symbolSettings,
      resolver: new SymbolResolver(this.symbolSettings),
      cache: new AnnotationCache(),
    };
    return annotateFunction(p, checkAnnotateQuery(query), {
      ...this.annotation,
      signal: ctx.signal,
    });
  }

  /** Sends the folded text as `chunk` events; nothing accumulates in the session. */
  async exportFolded(
    options: FoldedExportOptions,
    ctx: CallContext,
  ): Promise<{ lines: number; bytes: number }> {
    const p = this.need();
    const checked = checkFoldedExportOptions(options);
    if (checked.format === 'pprof' || checked.format === 'speedscope') {
      // aggregated per stack and thread: small, one chunk (pprof's bytes as base64)
      const data =
        checked.format === 'pprof'
          ? Buffer.from(pprofProfile(p, checked)).toString('base64')
          : JSON.stringify(speedscopeFile(p, checked));
      ctx.emit('chunk', data);
      return { lines: 1, bytes: Buffer.byteLength(data) };
    }
    let lines = 0;
    let bytes = 0;
    for (const chunk of foldedLines(p, checked)) {
      if (ctx.signal.aborted) throw new SessionError('cancelled', 'cancelled');
      const text = chunk.join('\n') + '\n';
      lines += chunk.length;
      bytes += Buffer.byteLength(text);
      ctx.emit('chunk', text);
      await new Promise((r) => setImmediate(r));
    }
    return { lines, bytes };
  }

  async markers(query: MarkersQuery, _ctx: CallContext): Promise<MarkersAnswer> {
    const p = this.need();
    const switchThreads = p.threads.reduce((n, th) => n + (th.switches ? 1 : 0), 0);
    return markers(p, checkMarkersQuery(query, switchThreads));
  }

  async cpuTracks(query: CpuTracksQuery, _ctx: CallContext): Promise<CpuTracksAnswer> {
    return cpuTracks(this.need(), checkCpuTracksQuery(query));
  }

  async sampleAt(request: SampleAtQuery, _ctx: CallContext): Promise<SampleAtAnswer | null> {
    const p = this.need();
    const query = checkSampleAtQuery(request);
    if (query.thread >= p.threads.length) {
      throw new SessionError('bad-request', `no thread ${query.thread}`);
    }
    return sampleAt(p, query);
  }

  /**
   * readLaterRecords(), once for every page that needs it, whoever asked first (a cancelled page
   * does not stop it); a failure is said to each asker, and the next one tries again.
   */
  private async readLater(p: Profile): Promise<void> {
    if (!this.laterRecords) {
      this.laterRead = new AbortController();
      const options = { symbols: this.symbolSettings, signal: this.laterRead.signal };
      this.laterRecords = readLaterRecords(p, options);
    }
    const reading = this.laterRecords;
    const stopped = this.laterRead.signal;
    try {
      await reading;
    } catch (e) {
      if (this.laterRecords === reading) this.laterRecords = undefined;
      if (stopped.aborted) throw new SessionError('cancelled', 'another recording was opened');
      throw new SessionError('file', `cannot read the deferred records: ${(e as Error).message}`);
    }
    this.threadSummaries = undefined;
  }

  private need(): Profile {
    if (!this.profile) throw new SessionError('not-open', 'no recording is open');
    return this.profile;
  }

  private summaryOf(p: Profile): RecordingSummary {
    return {
      meta: p.meta,
      events: p.events,
      defaultEvent: defaultEvent(p),
      threads: p.threads.length,
      processes: new Set(p.threads.map((t) => t.pid)).size,
    };
  }
}

function openError(path: string, e: unknown): SessionError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SessionError('file', `${path}: no such file`);
  if (code === 'EACCES') return new SessionError('file', `${path}: permission denied`);
  if (code === 'EISDIR')
    return new SessionError('file', `${path}: is a directory without perf data`);
  if (e instanceof PerfDataError) return new SessionError('bad-recording', `${path}: ${e.message}`);
  if (e instanceof SessionError) return e;
  return new SessionError('internal', `${path}: ${(e as Error).message ?? String(e)}`);
}
