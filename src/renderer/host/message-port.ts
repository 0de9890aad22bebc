import type { PortLike, RpcMessage } from '../../shared/rpc';

/** A DOM MessagePort (Electron hands the window one to its session) as an RPC port. */
export function messagePortLike(port: MessagePort): PortLike {
  const listeners = new Set<(message: unknown) => void>();
  port.onmessage = (event: MessageEvent) => {
    for (const l of listeners) l(event.data);
  };
  port.start();
  return {
    postMessage: (message: RpcMessage) => port.postMessage(message),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose: (listener) => {
      // Chromium fires `close` on a MessagePort when the other end goes away.
      port.addEventListener('close', listener);
      return () => port.removeEventListener('close', listener);
    },
    close: () => port.close(),
  };
}
