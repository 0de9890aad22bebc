import { WebSocket, type RawData } from 'ws';
import { decodeMessage, encodeMessage, type PortLike, type RpcMessage } from '../../shared/rpc';

/** A server-side WebSocket as an RPC port: text frames, encoded with the shared codec. */
export function webSocketPort(socket: WebSocket): PortLike {
  return {
    postMessage: (message: RpcMessage) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeMessage(message));
    },
    onMessage: (listener) => {
      const receive = (data: RawData, isBinary: boolean): void => {
        if (isBinary) {
          socket.close(1003, 'text frames only');
          return;
        }
        let message: unknown;
        try {
          message = decodeMessage(rawText(data));
        } catch {
          socket.close(1007, 'not a valid message');
          return;
        }
        listener(message);
      };
      socket.on('message', receive);
      return () => socket.off('message', receive);
    },
    onClose: (listener) => {
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
    close: () => socket.close(),
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
