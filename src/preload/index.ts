/**
 * The bridge between a recording window's page and main: `window.perfws`, the HostApi (except
 * `connectSession`, which the page builds on `requestSessionPort`). A few named functions only,
 * every channel one of the app's; the page never sees `ipcRenderer`, an IPC event or a path.
 *
 * Sandboxed and built as CommonJS: only `electron` (contextBridge, ipcRenderer, webUtils) is
 * available here, and only the contract's names are imported (bundled in).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  IPC_CHANNELS,
  IPC_PREFIX,
  IpcChannel,
  type Comparison,
  type ExportResult,
  type HostApi,
  type HostCommand,
  type RecentEntry,
  type RecordingState,
} from '../shared/contract/host-api';
import type { FoldedExportOptions } from '../shared/contract/session-api';
import type { ViewState } from '../shared/view-state/view-state';

/** What the page gets: HostApi without connectSession, plus the port request. */
export type PreloadApi = Omit<HostApi, 'connectSession' | 'connectComparison'> & {
  /** Main answers by sending a port, forwarded as a `perfws:session-port` window message. */
  requestSessionPort(): Promise<void>;
  /** The same for the compared recording's session (`perfws:comparison-port`). */
  requestComparisonPort(): Promise<void>;
};

/** The message the page receives with the session port in `event.ports[0]`. */
const SESSION_PORT_MESSAGE = { type: 'perfws:session-port' } as const;
const COMPARISON_PORT_MESSAGE = { type: 'perfws:comparison-port' } as const;

/** The page's window as far as this file needs it (the node tsconfig has no DOM types). */
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer?: readonly unknown[]): void;
}

function channel(name: IpcChannel): IpcChannel {
  if (!name.startsWith(IPC_PREFIX) || !IPC_CHANNELS.includes(name)) {
    throw new Error(`not an app IPC channel: ${name}`);
  }
  return name;
}

function invoke<T>(name: IpcChannel, ...args: unknown[]): Promise<T> {
  return ipcRenderer.invoke(channel(name), ...args) as Promise<T>;
}

/** Subscribes to a main → page channel, passing the payload only (never the IPC event). */
function subscribe<T>(name: IpcChannel, listener: (payload: T) => void): () => void {
  const handler = (_event: Electron.IpcRendererEvent, payload: T): void => listener(payload);
  ipcRenderer.on(channel(name), handler);
  return () => {
    ipcRenderer.removeListener(name, handler);
  };
}

const api: PreloadApi = {
  kind: 'electron',
  state: () => invoke<RecordingState>(IpcChannel.state),
  onState: (listener) => subscribe<RecordingState>(IpcChannel.stateChanged, listener),
  openRecording: () => invoke<void>(IpcChannel.openRecording),
  openDropped: async (file) => {
    // Empty for a File the page made up rather than one dropped from disk.
    const path = webUtils.getPathForFile(file);
    if (!path) throw new Error('only files dropped from disk can be opened');
    return invoke<void>(IpcChannel.openDropped, path);
  },
  recent: () => invoke<RecentEntry[]>(IpcChannel.recent),
  openRecent: (id) => invoke<void>(IpcChannel.openRecent, String(id)),
  cancelLoad: () => invoke<void>(IpcChannel.cancelLoad),
  reopen: () => invoke<void>(IpcChannel.reopen),
  exportFolded: (options: FoldedExportOptions) =>
    invoke<ExportResult>(IpcChannel.exportFolded, options),
  viewState: () => invoke<unknown>(IpcChannel.viewState),
  saveViewState: (state: ViewState) => invoke<void>(IpcChannel.saveViewState, state),
  onCommand: (listener) => subscribe<HostCommand>(IpcChannel.command, listener),
  requestSessionPort: () => invoke<void>(IpcChannel.requestSessionPort),
  comparison: () => invoke<Comparison | undefined>(IpcChannel.comparison),
  requestComparisonPort: () => invoke<void>(IpcChannel.requestComparisonPort),
};

// Ports cannot cross the context bridge: hand them to the page as a window message instead.
ipcRenderer.on(channel(IpcChannel.sessionPort), (event) => {
  (globalThis as unknown as PageWindow).postMessage(SESSION_PORT_MESSAGE, '*', event.ports);
});

ipcRenderer.on(channel(IpcChannel.comparisonPort), (event) => {
  (globalThis as unknown as PageWindow).postMessage(COMPARISON_PORT_MESSAGE, '*', event.ports);
});

contextBridge.exposeInMainWorld('perfws', api);
