import { basename, dirname } from 'node:path';
import type {
  FoldedExportOptions,
  Progress,
  RecordingState,
  SymbolSettings,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import type { CallContext } from '../../shared/rpc';
import type { SessionEntry } from './session-entry';
import { startSessionProcess, type SessionProcess } from './session-process';

/**
 * The recording `perfws serve` shows, playing the part Electron's main plays: it forks the
 * session, opens FILE with progress, turns results, failures and crashes into HostApi states,
 * cancels and reopens. Browsers only ever get the states and a session that is already open.
 */
export class ServedRecording {
  private current: RecordingState = { phase: 'empty' };
  private session: SessionProcess | undefined;
  private loading: AbortController | undefined;
  private readonly stateListeners = new Set<(state: RecordingState) => void>();
  private readonly sessionEndListeners = new Set<() => void>();

  constructor(
    private readonly path: string,
    private readonly symbols: SymbolSettings,
    private readonly entry: SessionEntry,
  ) {}

  get name(): string {
    return basename(this.path);
  }

  /** The name with its folder (`run-2/perf.data`): recordings are mostly all `perf.data`. */
  get nameWithFolder(): string {
    return `${basename(dirname(this.path))}/${basename(this.path)}`;
  }

  get state(): RecordingState {
    return this.current;
  }

  /** The session's process id (tests use it to simulate a crash). */
  get sessionPid(): number | undefined {
    return this.session?.pid;
  }

  /** The open session, only once the recording has loaded. */
  get loadedSession(): SessionProcess | undefined {
    return this.current.phase === 'loaded' ? this.session : undefined;
  }

  onState(listener: (state: RecordingState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Browsers' session sockets close when the session they talk to goes away. */
  onSessionEnd(listener: () => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  /** Starts a fresh session and opens the recording in it; resolves when loading ends. */
  async open(): Promise<void> {
    this.stopSession();
    const session = startSessionProcess(this.entry);
    this.session = session;
    session.onCrash((why) => {
      if (this.session !== session) return;
      this.session = undefined;
      this.endSession();
      this.setState({ phase: 'crashed', name: this.name, message: why });
    });
    const loading = new AbortController();
    this.loading = loading;
    this.setState({ phase: 'loading', name: this.name, progress: undefined });
    try {
      const summary = await session.api.open(
        { path: this.path, symbols: this.symbols },
        {
          signal: loading.signal,
          onEvent: (event, data) => {
            if (event === 'progress' && this.session === session && this.loading === loading) {
              this.setState({ phase: 'loading', name: this.name, progress: data as Progress });
            }
          },
        },
      );
      if (this.session === session) this.setState({ phase: 'loaded', name: this.name, summary });
    } catch (e) {
      if (this.session !== session) return; // crashed or replaced: that state stands
      const error = SessionError.from(e);
      this.setState({
        phase: 'failed',
        name: this.name,
        error:
          error.kind === 'cancelled'
            ? { kind: 'cancelled', message: 'Loading was cancelled.' }
            : error.serialize(),
      });
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  cancelLoad(): void {
    this.loading?.abort();
  }

  /** Streams the folded stacks of the loaded recording as `chunk` events of the caller's call. */
  async exportFolded(
    options: FoldedExportOptions,
    ctx: CallContext,
  ): Promise<{ lines: number; bytes: number }> {
    const session = this.loadedSession;
    if (!session) throw new SessionError('not-open', 'no recording is loaded');
    return session.api.exportFolded(options, {
      signal: ctx.signal,
      onEvent: (event, data) => {
        if (event === 'chunk') ctx.emit('chunk', data);
      },
    });
  }

  close(): void {
    this.loading?.abort();
    this.stopSession();
    this.stateListeners.clear();
  }

  private stopSession(): void {
    if (!this.session) return;
    const old = this.session;
    this.session = undefined;
    this.endSession();
    old.stop();
  }

  private endSession(): void {
    for (const l of [...this.sessionEndListeners]) l();
  }

  private setState(state: RecordingState): void {
    this.current = state;
    for (const l of [...this.stateListeners]) l(state);
  }
}
