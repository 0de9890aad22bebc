import { decodeMessage, encodeMessage, type PortLike, type RpcMessage } from '../../shared/rpc';

/** Opens a WebSocket to the served mode and wraps it as an RPC port once it is open. */
export function openWebSocketPort(url: string): Promise<PortLike> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const failEarly = (): void =>
      reject(new Error('could not connect to perfws serve (is it still running?)'));
    socket.addEventListener('error', failEarly, { once: true });
    socket.addEventListener('close', failEarly, { once: true });
    socket.addEventListener(
      'open',
      () => {
        socket.removeEventListener('error', failEarly);
        socket.removeEventListener('close', failEarly);
        resolve(webSocketPort(socket));
      },
      { once: true },
    );
  });
}

function webSocketPort(socket: WebSocket): PortLike {
  return {
    postMessage: (message: RpcMessage) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeMessage(message));
    },
    onMessage: (listener) => {
      const receive = (event: MessageEvent): void => {
        if (typeof event.data === 'string') listener(decodeMessage(event.data));
      };
      socket.addEventListener('message', receive);
      return () => socket.removeEventListener('message', receive);
    },
    onClose: (listener) => {
      socket.addEventListener('close', listener);
      return () => socket.removeEventListener('close', listener);
    },
    close: () => socket.close(),
  };
}
