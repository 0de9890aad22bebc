import type { BrowserWindow } from 'electron';
import {
  IpcChannel,
  type Comparison,
  type HostCommand,
  type RecordingState,
} from '../shared/contract';
import { recordingName, type RecordingTarget } from './recording-target';
import { SessionHost } from './session-host';

/** The View menu's checkboxes for one window (the renderer starts with these too). */
export interface ViewToggles {
  merge: boolean;
  kernel: boolean;
}
export const DEFAULT_VIEW: ViewToggles = { merge: true, kernel: true };

/**
 * One window and its session. Every state change goes to the page (`stateChanged`), the title
 * bar and the taskbar's progress; the session ends when the window closes.
 */
export class RecordingWindow {
  readonly host: SessionHost;
  view: ViewToggles = { ...DEFAULT_VIEW };
  /** A second recording for the differential views, and its part (baseline or new). */
  private compared: SessionHost | undefined;
  private comparedRole: Comparison['role'] = 'baseline';

  constructor(
    readonly window: BrowserWindow,
    private readonly sessionModule: string,
    private readonly onChange: () => void,
  ) {
    this.host = new SessionHost(sessionModule, (state) => this.publish(state));
    window.on('closed', () => {
      this.host.dispose();
      this.compared?.dispose();
    });
    // The title says which recording and in what state: main's, not the page's <title>.
    window.on('page-title-updated', (event) => event.preventDefault());
    // A reloaded page starts from its defaults: so do the menu's checkboxes.
    window.webContents.on('did-finish-load', () => {
      this.view = { ...DEFAULT_VIEW };
      this.onChange();
    });
  }

  /** Empty, failed or crashed: opening a recording here replaces nothing of value. */
  isReplaceable(): boolean {
    const phase = this.host.currentState().phase;
    return phase === 'empty' || phase === 'failed' || phase === 'crashed';
  }

  sendCommand(command: HostCommand): void {
    if (this.window.isDestroyed()) return;
    this.window.webContents.send(IpcChannel.command, command);
  }

  /** Transfers a fresh port to this window's session (the preload passes it on to the page). */
  sendSessionPort(): void {
    const port = this.host.connectRenderer();
    this.window.webContents.postMessage(IpcChannel.sessionPort, null, [port]);
  }

  /**
   * Loads `target` in a session of its own, compared with this window's recording as its
   * baseline (File → Compare With…) or as the new one (`perfws open BASE --compare NEW`),
   * replacing an earlier one; the page hears of each phase and asks `comparison()`.
   */
  async compareWith(
    target: RecordingTarget,
    role: Comparison['role'] = 'baseline',
  ): Promise<RecordingState> {
    this.compared?.dispose();
    this.comparedRole = role;
    const host = new SessionHost(this.sessionModule, () =>
      this.sendCommand({ type: 'comparison' }),
    );
    this.compared = host;
    return host.open(target);
  }

  /** The compared recording: its name, that it is the baseline, its phase. */
  comparison(): Comparison | undefined {
    const target = this.compared?.recording();
    if (!this.compared || !target) return undefined;
    return {
      name: recordingName(target.path),
      role: this.comparedRole,
      phase: this.compared.currentState().phase,
    };
  }

  /** Transfers a fresh port to the compared recording's session. */
  sendComparisonPort(): void {
    if (!this.compared) return;
    const port = this.compared.connectRenderer();
    this.window.webContents.postMessage(IpcChannel.comparisonPort, null, [port]);
  }

  private publish(state: RecordingState): void {
    if (this.window.isDestroyed()) return;
    this.window.webContents.send(IpcChannel.stateChanged, state);
    this.window.setProgressBar(taskbarProgress(state));
    this.window.setTitle(windowTitle(state));
    this.onChange();
  }
}

/** `setProgressBar` values: below 0 removes the bar, above 1 is indeterminate. */
export function taskbarProgress(state: RecordingState): number {
  switch (state.phase) {
    case 'loading': {
      const p = state.progress;
      return p?.total ? Math.min(1, p.done / p.total) : 2;
    }
    case 'empty':
    case 'loaded':
    case 'failed':
    case 'crashed':
      return -1;
    default: {
      const never: never = state;
      throw new Error(`unknown state ${JSON.stringify(never)}`);
    }
  }
}

export function windowTitle(state: RecordingState): string {
  switch (state.phase) {
    case 'empty':
      return 'perf workstation';
    case 'loading':
      return `${state.name} (loading) — perf workstation`;
    case 'loaded':
      return `${state.name} — perf workstation`;
    case 'failed':
      return `${state.name} (not loaded) — perf workstation`;
    case 'crashed':
      return `${state.name} (session stopped) — perf workstation`;
    default: {
      const never: never = state;
      throw new Error(`unknown state ${JSON.stringify(never)}`);
    }
  }
}
