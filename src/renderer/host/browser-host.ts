import {
  COMPARISON_SOCKET_PATH,
  HOST_SOCKET_PATH,
  SERVED_HOST_METHODS,
  SESSION_SOCKET_PATH,
  type ExportResult,
  type FoldedExportOptions,
  type HostApi,
  type HostCommand,
  type RecordingState,
  type ServedHostApi,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import { RpcClient, type PortLike, type Remote } from '../../shared/rpc';
import {
  viewStateFromText,
  viewStateText,
  type ViewState,
} from '../../shared/view-state/view-state';
import { base64Bytes, foldedFileName, saveDownload } from './download';
import { openWebSocketPort } from './websocket-port';

const SERVED_ONLY_FILE =
  'In the browser, perf workstation shows the recording named on the `perfws serve` command line. ' +
  'To look at another one, start `perfws serve OTHER.data`.';

/** The view state in a URL fragment (`#view=…`), checked; {} when there is none. */
export function viewStateFromUrl(hash: string): ViewState {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get('view');
  return text === null ? {} : viewStateFromText(text);
}

/**
 * HostApi over the served mode's WebSockets: one host socket (states, cancel, reopen, export)
 * and one socket per session connection. The token comes from the page's first URL (then this
 * tab's session storage, see served-token.ts).
 */
export function createBrowserHost(location: Location, token: string): HostApi {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socketUrl = (path: string): string =>
    `${scheme}://${location.host}${path}?token=${encodeURIComponent(token)}`;

  const stateListeners = new Set<(state: RecordingState) => void>();
  const commandListeners = new Set<(command: HostCommand) => void>();
  let lastName = '';
  let wire: Promise<Remote<ServedHostApi>> | undefined;
  let lost = false;

  const publish = (state: RecordingState): void => {
    if (state.phase !== 'empty') lastName = state.name;
    for (const l of stateListeners) l(state);
  };

  /** The host socket, opened on first use; its loss is reported as a state. */
  const hostWire = (): Promise<Remote<ServedHostApi>> => {
    wire ??= openWebSocketPort(socketUrl(HOST_SOCKET_PATH)).then((port: PortLike) => {
      port.onClose?.(() => {
        lost = true;
        publish({
          phase: 'crashed',
          name: lastName,
          message:
            'The connection to `perfws serve` was lost. Start it again and open its new URL.',
        });
      });
      const api = new RpcClient(port).proxy<ServedHostApi>(SERVED_HOST_METHODS);
      api
        .watch({ onEvent: (event, data) => event === 'state' && publish(data as RecordingState) })
        .catch(() => {});
      return api;
    });
    return wire;
  };

  return {
    kind: 'browser',
    connectSession: () => openWebSocketPort(socketUrl(SESSION_SOCKET_PATH)),
    comparison: async () => (await hostWire()).comparison(),
    connectComparison: () => openWebSocketPort(socketUrl(COMPARISON_SOCKET_PATH)),
    state: async () => {
      const state = await (await hostWire()).state();
      if (state.phase !== 'empty') lastName = state.name;
      return state;
    },
    onState: (listener) => {
      stateListeners.add(listener);
      void hostWire().catch(() => {});
      return () => stateListeners.delete(listener);
    },
    openRecording: async () => {
      throw new SessionError('bad-request', SERVED_ONLY_FILE);
    },
    openDropped: async () => {
      throw new SessionError('bad-request', SERVED_ONLY_FILE);
    },
    recent: async () => [],
    openRecent: async () => {
      throw new SessionError('bad-request', SERVED_ONLY_FILE);
    },
    cancelLoad: async () => (await hostWire()).cancelLoad(),
    reopen: async () => {
      // Nothing to reopen through a lost connection: reloading finds a restarted server.
      if (lost) location.reload();
      else await (await hostWire()).reopen();
    },
    exportFolded: async (options: FoldedExportOptions): Promise<ExportResult> => {
      const chunks: string[] = [];
      const result = await (
        await hostWire()
      ).exportFolded(options, {
        onEvent: (event, data) => {
          if (event === 'chunk' && typeof data === 'string') chunks.push(data);
        },
      });
      const fileName = foldedFileName(lastName, options.format);
      // pprof's bytes arrive as base64 text
      saveDownload(options.format === 'pprof' ? chunks.map(base64Bytes) : chunks, fileName);
      return { saved: true, where: `${fileName} (downloads)`, lines: result.lines };
    },
    // The view lives in the URL's fragment: a reload or a copied link restores it.
    viewState: async () => viewStateFromUrl(location.hash),
    saveViewState: async (state) => {
      const hash = `#view=${encodeURIComponent(viewStateText(state))}`;
      if (hash !== location.hash) history.replaceState(history.state, '', hash);
    },
    onCommand: (listener) => {
      // The browser has no menu: the page's own shortcuts do what menu commands would.
      commandListeners.add(listener);
      return () => commandListeners.delete(listener);
    },
  };
}
