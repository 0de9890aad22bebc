import type { SerializedError } from '../contract/errors';

/** RPC envelopes. A port only moves these; ids pair requests with results and events. */
export type RpcMessage =
  | { kind: 'call'; id: number; method: string; args: unknown[] }
  | { kind: 'cancel'; id: number }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerializedError }
  | { kind: 'event'; id: number; name: string; data: unknown };

export function isRpcMessage(m: unknown): m is RpcMessage {
  if (!m || typeof m !== 'object') return false;
  const kind = (m as { kind?: unknown }).kind;
  const id = (m as { id?: unknown }).id;
  return (
    typeof id === 'number' &&
    (kind === 'call' || kind === 'cancel' || kind === 'result' || kind === 'event')
  );
}

/** A port sends and receives messages; nothing more (transports adapt to this). */
export interface PortLike {
  postMessage(message: RpcMessage): void;
  /** Subscribes; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called when the other side goes away (process exit, socket close). */
  onClose?(listener: () => void): () => void;
  close?(): void;
}

/** Two connected in-memory ports (tests, and the served mode's in-process wiring). */
export function memoryPortPair(): [PortLike, PortLike] {
  const listeners: [((m: unknown) => void)[], ((m: unknown) => void)[]] = [[], []];
  const make = (self: 0 | 1): PortLike => ({
    postMessage: (m) => {
      const other = listeners[1 - self]!;
      // Asynchronous and copied, like a real port: the receiver never shares our objects.
      const copy = structuredClone(m);
      queueMicrotask(() => other.forEach((l) => l(copy)));
    },
    onMessage: (l) => {
      listeners[self].push(l);
      return () => {
        const i = listeners[self].indexOf(l);
        if (i >= 0) listeners[self].splice(i, 1);
      };
    },
  });
  return [make(0), make(1)];
}
