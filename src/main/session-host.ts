import { existsSync } from 'node:fs';
import {
  MessageChannelMain,
  utilityProcess,
  type MessagePortMain,
  type UtilityProcess,
} from 'electron';
import {
  PROTOCOL_VERSION,
  SESSION_METHODS,
  SessionError,
  type FoldedExportOptions,
  type Progress,
  type RecordingState,
  type SessionApi,
} from '../shared/contract';
import { RpcClient, type Remote } from '../shared/rpc';
import { checkRecording, problemErrorKind } from './recording-check';
import { recordingName, type RecordingTarget } from './recording-target';
import { utilityProcessPort } from './utility-port';

export const SESSION_SERVICE_NAME = 'perf workstation session';

/** One session process and the load running in it. */
interface RunningSession {
  child: UtilityProcess;
  client: RpcClient;
  api: Remote<SessionApi>;
  load: AbortController | undefined;
  /** Main asked it to stop: its exit is not a crash. */
  stopping: boolean;
}

/**
 * The session of one window: forks the session utility process, opens the recording in it (only
 * main names the file), reports every step as a RecordingState, hands the renderer ports to it,
 * and turns an unexpected exit into 'crashed'. Each recording gets a fresh process.
 */
export class SessionHost {
  private state: RecordingState = { phase: 'empty' };
  private running: RunningSession | undefined;
  private target: RecordingTarget | undefined;
  /** The open() in progress; replaced by the next open(), cleared by cancelLoad(). */
  private attempt: object | undefined;
  private disposed = false;

  constructor(
    private readonly sessionModule: string,
    private readonly onState: (state: RecordingState) => void,
  ) {}

  currentState(): RecordingState {
    return this.state;
  }

  /** The recording this window shows or tried to show (what Reopen opens again). */
  recording(): RecordingTarget | undefined {
    return this.target;
  }

  /** Checks and loads a recording; resolves with the state it ended in. */
  async open(target: RecordingTarget): Promise<RecordingState> {
    this.stop();
    this.target = target;
    const attempt = {};
    this.attempt = attempt;
    const name = recordingName(target.path);
    this.setState({ phase: 'loading', name, progress: undefined });
    const check = await checkRecording(target.path);
    if (this.attempt !== attempt || this.disposed) return this.state;
    if (!check.ok) {
      return this.setState({
        phase: 'failed',
        name,
        error: { kind: problemErrorKind(check.problem), message: check.message },
      });
    }
    if (!existsSync(this.sessionModule)) {
      return this.setState({
        phase: 'failed',
        name,
        error: { kind: 'internal', message: `${this.sessionModule} is missing: run npm run build` },
      });
    }

    const run = this.fork(name);
    const load = new AbortController();
    run.load = load;
    try {
      const { protocol } = await run.api.hello();
      if (protocol !== PROTOCOL_VERSION) {
        throw new SessionError(
          'protocol',
          `the session speaks protocol ${protocol}, the app ${PROTOCOL_VERSION}: rebuild the app`,
        );
      }
      const summary = await run.api.open(
        { path: check.path, symbols: target.symbols },
        {
          signal: load.signal,
          onEvent: (event, data) => {
            if (event === 'progress' && this.running === run) {
              this.setState({ phase: 'loading', name, progress: data as Progress });
            }
          },
        },
      );
      if (this.running !== run) return this.state;
      return this.setState({ phase: 'loaded', name, summary });
    } catch (e) {
      // Superseded, cancelled or crashed: the state already says what happened.
      if (this.running !== run) return this.state;
      this.stop();
      return this.setState({ phase: 'failed', name, error: SessionError.from(e).serialize() });
    } finally {
      run.load = undefined;
    }
  }

  /** Stops a load in progress: the session is asked to stop, then ended. */
  cancelLoad(): void {
    if (this.state.phase !== 'loading') return;
    const { name } = this.state;
    this.attempt = undefined;
    this.stop();
    this.setState({
      phase: 'failed',
      name,
      error: { kind: 'cancelled', message: 'Loading was cancelled.' },
    });
  }

  /** A fresh session on the same recording (after a crash, a failure or a cancel). */
  async reopen(): Promise<RecordingState> {
    return this.target ? this.open(this.target) : this.state;
  }

  /**
   * A new MessageChannel: one end goes to the session (which serves the renderer's methods on it,
   * never `open`), the other is returned for the renderer.
   */
  connectRenderer(): MessagePortMain {
    const run = this.running;
    if (!run) throw new SessionError('not-open', 'no session is running in this window');
    const { port1, port2 } = new MessageChannelMain();
    run.child.postMessage({ type: 'renderer-port' }, [port1]);
    return port2;
  }

  /** Folded stacks of the loaded recording, as chunks of text. */
  async exportFolded(
    options: FoldedExportOptions,
    onChunk: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<{ lines: number; bytes: number }> {
    const run = this.running;
    if (!run || this.state.phase !== 'loaded') {
      throw new SessionError('not-open', 'no recording is loaded in this window');
    }
    return run.api.exportFolded(options, {
      signal,
      onEvent: (event, data) => {
        if (event === 'chunk' && typeof data === 'string') onChunk(data);
      },
    });
  }

  /** The window is gone: end the session and say nothing more. */
  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private fork(name: string): RunningSession {
    const child = utilityProcess.fork(this.sessionModule, [], {
      serviceName: SESSION_SERVICE_NAME,
      stdio: 'inherit',
    });
    const client = new RpcClient(utilityProcessPort(child));
    const run: RunningSession = {
      child,
      client,
      api: client.proxy<SessionApi>(SESSION_METHODS),
      load: undefined,
      stopping: false,
    };
    child.on('exit', (code) => {
      if (run.stopping || this.running !== run) return;
      const loading = this.state.phase === 'loading';
      const during = loading ? `while loading ${name}` : `with ${name} open`;
      // The kernel's OOM killer is the usual cause of a death mid-load (see README, Memory).
      const hint = loading
        ? ' If the machine ran out of memory, close other recordings or open this one where more memory is free.'
        : '';
      this.running = undefined;
      client.close();
      this.setState({
        phase: 'crashed',
        name,
        message: `The session process stopped unexpectedly (exit code ${code}) ${during}.${hint}`,
      });
    });
    this.running = run;
    return run;
  }

  private stop(): void {
    const run = this.running;
    if (!run) return;
    this.running = undefined;
    run.stopping = true;
    run.load?.abort();
    run.client.close();
    run.child.kill();
  }

  private setState(state: RecordingState): RecordingState {
    this.state = state;
    if (!this.disposed) this.onState(state);
    return state;
  }
}
