import { IpcChannel, type HostApi } from '../../shared/contract';
import type { PortLike } from '../../shared/rpc';
import { messagePortLike } from './message-port';

/**
 * What the Electron preload exposes as `window.perfws`: HostApi without `connectSession` (a
 * MessagePort cannot cross contextBridge, so the preload posts it to the window instead).
 */
export interface ElectronBridge extends Omit<
  HostApi,
  'connectSession' | 'connectComparison' | 'kind'
> {
  requestSessionPort(): void | Promise<void>;
  requestComparisonPort?(): void | Promise<void>;
}

/** How long to wait for main to hand over the session's port. */
const PORT_TIMEOUT_MS = 20_000;

/**
 * HostApi in Electron: the preload's bridge, plus connectSession, which asks for the session's
 * port and receives it as a window `message` whose data is `{ type: 'perfws:session-port' }`.
 */
export function createElectronHost(bridge: ElectronBridge, win: Window): HostApi {
  return {
    kind: 'electron',
    connectSession: () =>
      receivePort(win, IpcChannel.sessionPort, () => bridge.requestSessionPort()),
    comparison: async () => bridge.comparison?.(),
    connectComparison: () =>
      receivePort(win, IpcChannel.comparisonPort, () => bridge.requestComparisonPort?.()),
    state: () => bridge.state(),
    onState: (listener) => bridge.onState(listener),
    openRecording: () => bridge.openRecording(),
    openDropped: (file) => bridge.openDropped(file),
    recent: () => bridge.recent(),
    openRecent: (id) => bridge.openRecent(id),
    cancelLoad: () => bridge.cancelLoad(),
    reopen: () => bridge.reopen(),
    exportFolded: (options) => bridge.exportFolded(options),
    viewState: () => bridge.viewState(),
    saveViewState: (state) => bridge.saveViewState(state),
    onCommand: (listener) => bridge.onCommand(listener),
  };
}

/** Asks main for a port (`request`) and receives it as a window message of type `type`. */
function receivePort(
  win: Window,
  type: string,
  request: () => void | Promise<void>,
): Promise<PortLike> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      win.removeEventListener('message', onMessage);
      clearTimeout(timer);
    };
    const onMessage = (event: MessageEvent): void => {
      // Only our own window's messages (the preload posts there), of the right type, with a port.
      if (event.source !== win) return;
      const data = event.data as { type?: unknown } | null;
      const port = event.ports[0];
      if (data?.type !== type || !port) return;
      done();
      resolve(messagePortLike(port));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the session did not answer (no session port from the main process)'));
    }, PORT_TIMEOUT_MS);
    win.addEventListener('message', onMessage);
    Promise.resolve(request()).catch((e: unknown) => {
      done();
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
