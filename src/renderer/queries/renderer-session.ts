import { RENDERER_METHODS, type SessionApi } from '../../shared/contract';
import { RpcClient, type PortLike, type Remote } from '../../shared/rpc';

/** The session as the renderer may use it: every method but `open`. */
export type RendererSession = Remote<Omit<SessionApi, 'open'>>;

export interface SessionConnection {
  api: RendererSession;
  close(): void;
  /** Called when the port closes from the other side (crash, reopen). */
  onClose(listener: () => void): void;
}

export function connectRpc(port: PortLike): SessionConnection {
  const client = new RpcClient(port);
  const methods = RENDERER_METHODS as readonly (keyof Omit<SessionApi, 'open'>)[];
  return {
    api: client.proxy<Omit<SessionApi, 'open'>>(methods),
    close: () => {
      client.close();
      port.close?.();
    },
    onClose: (listener) => {
      port.onClose?.(listener);
    },
  };
}
