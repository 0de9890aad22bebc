import type { BrowserWindow } from 'electron';
import { IpcChannel, type HostCommand, type RecordingState } from '../shared/contract';
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

  constructor(
    readonly window: BrowserWindow,
    sessionModule: string,
    private readonly onChange: () => void,
  ) {
    this.host = new SessionHost(sessionModule, (state) => this.publish(state));
    window.on('closed', () => this.host.dispose());
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
