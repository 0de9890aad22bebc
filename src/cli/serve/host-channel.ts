import { SERVED_HOST_METHODS, type ServedHostApi } from '../../shared/contract';
import { serve, type CallContext, type PortLike, type Service } from '../../shared/rpc';
import type { ServedRecording } from './served-recording';

/** Serves the host methods on one browser socket. */
export function serveHostChannel(port: PortLike, recording: ServedRecording): () => void {
  const service: Service<ServedHostApi> = {
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
  return serve<ServedHostApi>(port, service, SERVED_HOST_METHODS);
}
