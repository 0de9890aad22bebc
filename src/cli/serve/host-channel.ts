import type { FoldedExportOptions, RecordingState } from '../../shared/contract';
import { serve, type CallContext, type PortLike, type Service } from '../../shared/rpc';
import type { ServedRecording } from './served-recording';

/**
 * What a browser's host socket may call: the served counterpart of HostApi's host side.
 * Mirrored by the renderer's BrowserHost (src/renderer/host/served-host-wire.ts); keep both equal.
 */
export interface ServedHostWire {
  state(): Promise<RecordingState>;
  /** Sends a `state` event on every change until the socket closes. */
  watch(): Promise<void>;
  cancelLoad(): Promise<void>;
  reopen(): Promise<void>;
  /** Sends the folded text as `chunk` events (the browser saves them as a download). */
  exportFolded(options: FoldedExportOptions): Promise<{ lines: number; bytes: number }>;
}

export const SERVED_HOST_METHODS: readonly (keyof ServedHostWire)[] = [
  'state',
  'watch',
  'cancelLoad',
  'reopen',
  'exportFolded',
];

/** Serves the host methods on one browser socket. */
export function serveHostChannel(port: PortLike, recording: ServedRecording): () => void {
  const service: Service<ServedHostWire> = {
    state: async () => recording.state,
    watch: (ctx: CallContext) =>
      new Promise<void>((resolve) => {
        const unsubscribe = recording.onState((state) => ctx.emit('state', state));
        const stop = (): void => {
          unsubscribe();
          resolve();
        };
        ctx.signal.addEventListener('abort', stop, { once: true });
        port.onClose?.(stop);
      }),
    cancelLoad: async () => recording.cancelLoad(),
    reopen: async () => {
      // Loading runs on; its progress and result arrive as states.
      void recording.open();
    },
    exportFolded: (options, ctx) => recording.exportFolded(options, ctx),
  };
  return serve<ServedHostWire>(port, service, SERVED_HOST_METHODS);
}
