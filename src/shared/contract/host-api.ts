import type { PortLike } from '../rpc/messages';
import type { ExportFormat, FoldedExportOptions, Progress, RecordingSummary } from './session-api';
import type { SerializedError } from './errors';
import type { ViewState } from '../view-state/view-state';

/**
 * What the renderer gets from where it runs: the Electron preload (`window.perfws`) or, in the
 * browser-served mode, a client of the local server. One interface, two implementations; the
 * renderer never knows which. A renderer never names a file path: recordings are chosen by the
 * host (dialog, command line, drop, recent list), exports are written where the user chose.
 */
export interface HostApi {
  readonly kind: 'electron' | 'browser';
  /** A port to this window's session (every SessionApi method except `open`). */
  connectSession(): Promise<PortLike>;
  /** What is loaded or loading now (the renderer may start after the load began). */
  state(): Promise<RecordingState>;
  /** Loading progress, load results, crashes. Returns the unsubscribe function. */
  onState(listener: (state: RecordingState) => void): () => void;
  /** Ask the host to let the user choose a recording (Electron: the native dialog). */
  openRecording(): Promise<void>;
  /** Open a file dropped on the window (Electron resolves its path in the preload). */
  openDropped(file: File): Promise<void>;
  /** Recent recordings, most recent first (display names and opaque ids). */
  recent(): Promise<RecentEntry[]>;
  openRecent(id: string): Promise<void>;
  /** Cancel the load in progress. */
  cancelLoad(): Promise<void>;
  /** Restart the session on the same recording after a crash or error. */
  reopen(): Promise<void>;
  /** Save folded stacks: the host asks where (Electron: save dialog; browser: a download). */
  exportFolded(options: FoldedExportOptions): Promise<ExportResult>;
  /**
   * The view state last kept for this recording (desktop: the preferences; browser: the URL),
   * as stored: the caller checks it (`checkViewState`).
   */
  viewState(): Promise<unknown>;
  /** Keeps the view state for this recording. */
  saveViewState(state: ViewState): Promise<void>;
  /** Commands from the native menu (or the browser's own shortcuts). */
  onCommand(listener: (command: HostCommand) => void): () => void;
  /**
   * A second recording to compare with this one, where the host runs one (`perfws serve BASE
   * --compare NEW`): its name, its part and how its loading went. Absent: the host has none.
   */
  comparison?(): Promise<Comparison | undefined>;
  /** A port to the compared recording's session, once `comparison()` says it is loaded. */
  connectComparison?(): Promise<PortLike>;
}

/** The compared recording: `new` is compared against this window's (its baseline), or the reverse. */
export interface Comparison {
  name: string;
  role: 'new' | 'baseline';
  phase: RecordingState['phase'];
}

export type RecordingState =
  | { phase: 'empty' }
  | { phase: 'loading'; name: string; progress: Progress | undefined }
  | { phase: 'loaded'; name: string; summary: RecordingSummary }
  | { phase: 'failed'; name: string; error: SerializedError }
  | { phase: 'crashed'; name: string; message: string };

export interface RecentEntry {
  id: string;
  name: string;
  /** Directory shown beside the name. */
  where: string;
}

export type ExportResult = { saved: true; where: string; lines: number } | { saved: false };

export type HostCommand =
  | { type: 'toggle-merge' }
  | { type: 'toggle-kernel' }
  | { type: 'zoom'; direction: 'in' | 'out' | 'reset' }
  | { type: 'theme'; theme: 'system' | 'light' | 'dark' }
  | { type: 'export-folded'; format?: ExportFormat }
  | { type: 'about' }
  /** The compared recording changed (File → Compare With…): ask `comparison()` again. */
  | { type: 'comparison' };

/** IPC channel names between the Electron preload and main: all start with the app prefix. */
export const IPC_PREFIX = 'perfws:';
export const IpcChannel = {
  state: 'perfws:state',
  stateChanged: 'perfws:state-changed',
  sessionPort: 'perfws:session-port',
  requestSessionPort: 'perfws:request-session-port',
  comparison: 'perfws:comparison',
  comparisonPort: 'perfws:comparison-port',
  requestComparisonPort: 'perfws:request-comparison-port',
  openRecording: 'perfws:open-recording',
  openDropped: 'perfws:open-dropped',
  recent: 'perfws:recent',
  openRecent: 'perfws:open-recent',
  cancelLoad: 'perfws:cancel-load',
  reopen: 'perfws:reopen',
  exportFolded: 'perfws:export-folded',
  viewState: 'perfws:view-state',
  saveViewState: 'perfws:save-view-state',
  command: 'perfws:command',
} as const;
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];
export const IPC_CHANNELS: readonly string[] = Object.values(IpcChannel);
