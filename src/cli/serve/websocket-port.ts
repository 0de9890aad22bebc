import { WebSocket, type RawData } from 'ws';
import { decodeMessage, encodeMessage, type PortLike, type RpcMessage } from '../../shared/rpc';

/**
 * Back pressure: a browser that stops reading must not make the server hold its answers. Calls
 * wait while more than LOW_WATER bytes wait to be sent (see client-calls.ts); a client whose
 * backlog still passes MAX_BACKLOG (a stream it does not read) is disconnected, which drops all
 * it had pending and cancels its calls.
 */
export const LOW_WATER_BYTES = 8 << 20;
export const MAX_BACKLOG_BYTES = 256 << 20;

/** A server-side WebSocket as an RPC port that can say when its send buffer has room. */
export interface WebSocketPort extends PortLike {
  /** Resolves once fewer than LOW_WATER bytes wait to be sent; rejects when the socket closes. */
  writable(): Promise<void>;
}

/** A server-side WebSocket as an RPC port: text frames, encoded with the shared codec. */
export function webSocketPort(socket: WebSocket): WebSocketPort {
  let waiting: { resolve(): void; reject(e: Error): void }[] = [];
  const wake = (): void => {
    if (socket.bufferedAmount > LOW_WATER_BYTES && socket.readyState === WebSocket.OPEN) return;
    const woken = waiting;
    waiting = [];
    const open = socket.readyState === WebSocket.OPEN;
    for (const w of woken) {
      if (open) w.resolve();
      else w.reject(new Error('the client went away'));
    }
  };
  socket.on('close', wake);
  return {
    postMessage: (message: RpcMessage) => {
      if (socket.readyState !== WebSocket.OPEN) return; // gone: its answers are dropped
      socket.send(encodeMessage(message), wake);
      if (socket.bufferedAmount > MAX_BACKLOG_BYTES) socket.terminate();
    },
    writable: () =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        wake();
      }),
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
