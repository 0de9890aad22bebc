import { isAbsolute } from 'node:path';
import type { IpcMain } from 'electron';
import {
  EXPORT_FORMATS,
  IpcChannel,
  type Comparison,
  type ExportResult,
  type FoldedExportOptions,
  type RecentEntry,
  type RecordingState,
} from '../shared/contract';
import { checkViewState, VIEW_STATE_LIMITS, type ViewState } from '../shared/view-state/view-state';
import { handleFromApp, type SenderCheck } from './ipc-guard';

/** What the renderer may ask of main, per window. No method takes a path to read or write. */
export interface HostBackend<W> {
  state(window: W): RecordingState;
  sendSessionPort(window: W): void;
  /** The recording compared with this window's (File → Compare With…), if any. */
  comparison(window: W): Comparison | undefined;
  sendComparisonPort(window: W): void;
  openRecording(window: W): Promise<void>;
  /** The path of a file dropped on the window, as the preload's `webUtils.getPathForFile` gave it. */
  openDropped(window: W, path: string): Promise<void>;
  recent(): RecentEntry[];
  openRecent(window: W, id: string): Promise<void>;
  cancelLoad(window: W): void;
  reopen(window: W): Promise<void>;
  exportFolded(window: W, options: FoldedExportOptions): Promise<ExportResult>;
  /** The view state kept for the window's recording (undefined: none). */
  viewState(window: W): ViewState | undefined;
  saveViewState(window: W, state: ViewState): void;
}

/** Wires every renderer → main channel of HostApi to the backend, with its arguments checked. */
export function registerIpcHandlers<W>(
  ipc: Pick<IpcMain, 'handle'>,
  check: SenderCheck<W>,
  backend: HostBackend<W>,
): void {
  const on = (channel: IpcChannel, handler: (window: W, args: unknown[]) => unknown): void =>
    handleFromApp(ipc, channel, check, handler);

  on(IpcChannel.state, (w) => backend.state(w));
  on(IpcChannel.requestSessionPort, (w) => backend.sendSessionPort(w));
  on(IpcChannel.comparison, (w) => backend.comparison(w));
  on(IpcChannel.requestComparisonPort, (w) => backend.sendComparisonPort(w));
  // Arguments are ignored where none are expected: the dialog alone picks the file.
  on(IpcChannel.openRecording, (w) => backend.openRecording(w));
  on(IpcChannel.openDropped, (w, [path]) => backend.openDropped(w, droppedPath(path)));
  on(IpcChannel.recent, () => backend.recent());
  on(IpcChannel.openRecent, (w, [id]) => backend.openRecent(w, recentId(id)));
  on(IpcChannel.cancelLoad, (w) => backend.cancelLoad(w));
  on(IpcChannel.reopen, (w) => backend.reopen(w));
  on(IpcChannel.exportFolded, (w, [options]) =>
    backend.exportFolded(w, foldedExportOptions(options)),
  );
  on(IpcChannel.viewState, (w) => backend.viewState(w));
  on(IpcChannel.saveViewState, (w, [state]) => backend.saveViewState(w, viewStateArgument(state)));
}

/** Only the checked fields of a view state, and only when its text is of a sane size. */
function viewStateArgument(value: unknown): ViewState {
  if (JSON.stringify(value ?? null).length > VIEW_STATE_LIMITS.textLength) {
    throw new Error('saveViewState: the view state is too large');
  }
  return checkViewState(value);
}

function droppedPath(value: unknown): string {
  if (typeof value !== 'string' || !isAbsolute(value) || value.includes('\0')) {
    throw new Error('openDropped: expected the absolute path of a dropped file');
  }
  return value;
}

function recentId(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{16}$/.test(value)) {
    throw new Error('openRecent: expected a recent-entry id');
  }
  return value;
}

const FOLDED_FLAGS = ['pid', 'tid', 'kernelAnnotate', 'addresses', 'allEvents'] as const;

/**
 * A copy with only FoldedExportOptions' own fields: nothing else the page adds (a path, say)
 * travels further. The filters' contents are the session's to validate, as for every query.
 */
export function foldedExportOptions(value: unknown): FoldedExportOptions {
  if (!isPlainObject(value) || !isPlainObject(value.filters)) {
    throw new Error('exportFolded: expected options with filters');
  }
  const options: FoldedExportOptions = { filters: value.filters };
  for (const flag of FOLDED_FLAGS) {
    const v = value[flag];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new Error(`exportFolded: ${flag} must be true or false`);
    options[flag] = v;
  }
  if (value.weight !== undefined) {
    if (value.weight !== 'samples' && value.weight !== 'period') {
      throw new Error('exportFolded: weight must be "samples" or "period"');
    }
    options.weight = value.weight;
  }
  if (value.format !== undefined) {
    const format = EXPORT_FORMATS.find((f) => f === value.format);
    if (!format)
      throw new Error(`exportFolded: format must be one of ${EXPORT_FORMATS.join(', ')}`);
    options.format = format;
  }
  return options;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
