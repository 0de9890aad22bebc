import type {
  ExportResult,
  FoldedExportOptions,
  HostApi,
  HostCommand,
  RecordingState,
  RecordingSummary,
  SessionApi,
  ThreadSummary,
} from '../../src/shared/contract';
import { memoryPortPair, serve, type Service } from '../../src/shared/rpc';

/** A summary and thread list for a small two-thread recording. */
export function recordingSummary(path = '/rec/perf.data'): RecordingSummary {
  return {
    meta: {
      path,
      fileSize: 1000,
      pipe: false,
      startTime: '0',
      duration: 1_000_000,
      samples: 30,
      lostEvents: 0,
      lostSamples: 0,
      merge: {
        deferredSamples: 4,
        merged: 3,
        unmergedCookieMismatch: 1,
        unmergedEndOfSession: 0,
        deferredRecords: 3,
        recordsSharedBySeveralSamples: 0,
        recordsMatchingNothing: 0,
      },
      unresolvedLibs: [],
      warnings: [],
    },
    events: [
      { name: 'cycles', type: 0, config: '0', samples: 10, totalPeriod: 1e6, periodIsTime: false },
      {
        name: 'cpu-clock',
        type: 1,
        config: '0',
        samples: 20,
        totalPeriod: 2e6,
        periodIsTime: true,
      },
    ],
    defaultEvent: 1,
    threads: 2,
    processes: 1,
  };
}

export const THREADS: ThreadSummary[] = [
  {
    index: 0,
    tid: 10,
    pid: 10,
    name: 'app',
    processName: 'app',
    comms: [],
    samples: 5,
    periodByEvent: [],
    firstSample: 0,
    lastSample: 900,
    deferredRecords: 0,
    unmerged: 0,
  },
  {
    index: 1,
    tid: 11,
    pid: 10,
    name: 'worker',
    processName: 'app',
    comms: [],
    samples: 25,
    periodByEvent: [],
    firstSample: 0,
    lastSample: 990,
    deferredRecords: 3,
    unmerged: 1,
  },
];

/** The calls a fake session received, by method. */
export type CallLog = { method: string; args: unknown[] }[];

/**
 * A host whose session is a fake service behind a real RPC connection (an in-memory port pair),
 * so stores and queries run exactly their production path.
 */
export class FakeHost implements HostApi {
  readonly kind = 'browser' as const;
  readonly calls: CallLog = [];
  readonly exports: FoldedExportOptions[] = [];
  cancelled = 0;
  private current: RecordingState = { phase: 'empty' };
  private readonly listeners = new Set<(s: RecordingState) => void>();
  private readonly commandListeners = new Set<(c: HostCommand) => void>();

  constructor(private readonly session: Partial<Service<SessionApi>> = {}) {}

  setState(state: RecordingState): void {
    this.current = state;
    for (const l of this.listeners) l(state);
  }

  command(c: HostCommand): void {
    for (const l of this.commandListeners) l(c);
  }

  async connectSession() {
    const [mine, theirs] = memoryPortPair();
    const log = this.calls;
    const service = new Proxy(this.session, {
      get: (target, method: string) => {
        const impl = (target as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
        return async (...args: unknown[]) => {
          log.push({ method, args: args.slice(0, -1) });
          if (impl) return impl(...args);
          if (method === 'threads') return THREADS;
          throw new Error(`the fake session has no ${method}`);
        };
      },
    }) as Service<SessionApi>;
    serve<SessionApi>(theirs, service, [
      'threads',
      'timeline',
      'samples',
      'callchain',
      'flameGraph',
      'flameChart',
      'topFunctions',
      'callers',
      'callTree',
      'callNode',
      'annotate',
      'exportFolded',
      'hello',
      'summary',
    ]);
    return mine;
  }
  async state() {
    return this.current;
  }
  onState(listener: (s: RecordingState) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async openRecording() {}
  async openDropped() {}
  async recent() {
    return [];
  }
  async openRecent() {}
  async cancelLoad() {
    this.cancelled++;
  }
  async reopen() {}
  async exportFolded(options: FoldedExportOptions): Promise<ExportResult> {
    this.exports.push(options);
    return { saved: true, where: 'test.folded', lines: 3 };
  }
  /** What viewState() answers, and what saveViewState() was given. */
  storedView: unknown = undefined;
  savedViews: unknown[] = [];
  async viewState() {
    return this.storedView;
  }
  async saveViewState(state: unknown) {
    this.savedViews.push(state);
    this.storedView = state;
  }
  onCommand(listener: (c: HostCommand) => void) {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }
}

/** Lets promises and the in-memory port's microtasks run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
