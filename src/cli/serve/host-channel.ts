import { SERVED_HOST_METHODS, type ServedHostApi } from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import { serve, type CallContext, type Service } from '../../shared/rpc';
import { ClientCalls } from './client-calls';
import type { ServedRecording } from './served-recording';
import type { WebSocketPort } from './websocket-port';

/** A page watches once; a few spare for reconnecting code, never one per message. */
const MAX_WATCHES_PER_SOCKET = 4;

/** Serves the host methods on one browser socket (`comparison`: `--compare`'s recording). */
export function serveHostChannel(
  port: WebSocketPort,
  recording: ServedRecording,
  comparison?: ServedRecording,
): () => void {
  const calls = new ClientCalls(port);
  let watches = 0;
  const service: Service<ServedHostApi> = {
    state: async () => recording.state,
    comparison: async () =>
      comparison && {
        name: comparison.nameWithFolder,
        role: 'new',
        phase: comparison.state.phase,
      },
    watch: async (ctx: CallContext) => {
      if (watches >= MAX_WATCHES_PER_SOCKET) {
        throw new SessionError(
          'bad-request',
          `this socket already has ${MAX_WATCHES_PER_SOCKET} watches`,
        );
      }
      watches++;
      return new Promise<void>((resolve) => {
        const unsubscribe = recording.onState((state) => ctx.emit('state', state));
        let stopped = false;
        const stop = (): void => {
          if (stopped) return;
          stopped = true;
          unsubscribe();
          watches--;
          resolve();
        };
        ctx.signal.addEventListener('abort', stop, { once: true });
        port.onClose?.(stop);
      });
    },
    cancelLoad: async () => recording.cancelLoad(),
    reopen: async () => {
      // Loading runs on; its progress and result arrive as states.
      void recording.open();
    },
    exportFolded: async (options, ctx) => {
      const leave = await calls.enter(ctx.signal);
      try {
        return await recording.exportFolded(options, ctx);
      } finally {
        leave();
      }
    },
  };
  return serve<ServedHostApi>(port, service, SERVED_HOST_METHODS);
}
