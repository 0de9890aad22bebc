import type { FoldedExportOptions } from './session-api';
import type { Comparison, RecordingState } from './host-api';

/**
 * The browser-served mode's host socket: what a browser may ask `perfws serve` besides the
 * session (the served counterpart of HostApi's host side).
 */
export interface ServedHostApi {
  state(): Promise<RecordingState>;
  /** Sends a `state` event on every change until the socket closes. */
  watch(): Promise<void>;
  cancelLoad(): Promise<void>;
  reopen(): Promise<void>;
  /** Sends the folded text as `chunk` events (the browser saves them as a download). */
  exportFolded(options: FoldedExportOptions): Promise<{ lines: number; bytes: number }>;
  /** The recording compared with this one (`perfws serve BASE --compare NEW`), if any. */
  comparison(): Promise<Comparison | undefined>;
}

export const SERVED_HOST_METHODS: readonly (keyof ServedHostApi)[] = [
  'state',
  'watch',
  'cancelLoad',
  'reopen',
  'exportFolded',
  'comparison',
];

/** WebSocket paths of the served mode. */
export const HOST_SOCKET_PATH = '/ws/host';
export const SESSION_SOCKET_PATH = '/ws/session';
/** The compared recording's session (`perfws serve BASE --compare NEW`). */
export const COMPARISON_SOCKET_PATH = '/ws/comparison';
