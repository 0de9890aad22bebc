import { SessionError } from '../contract/errors';
import { isRpcMessage, type PortLike, type RpcMessage } from './messages';

export interface CallOptions {
  signal?: AbortSignal;
  /** Events the callee sends for this call (progress, chunks). */
  onEvent?: (name: string, data: unknown) => void;
}

/** A contract as seen by a client: every method takes an optional trailing CallOptions. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: [...A, CallOptions?]) => Promise<R>
    : never;
};

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onEvent?: (name: string, data: unknown) => void;
}

/** The calling side of the RPC: ids, pending calls, cancellation, events. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly unsubscribe: () => void;

  constructor(private readonly port: PortLike) {
    this.unsubscribe = port.onMessage((m) => this.receive(m));
    port.onClose?.(() => this.failAll(new SessionError('internal', 'the session process ended')));
  }

  call(method: string, args: unknown[], options: CallOptions = {}): Promise<unknown> {
    const id = this.nextId++;
    const { signal, onEvent } = options;
    if (signal?.aborted) return Promise.reject(new SessionError('cancelled', 'cancelled'));
    return new Promise((resolve, reject) => {
      const abort = (): void => this.port.postMessage({ kind: 'cancel', id });
      signal?.addEventListener('abort', abort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', abort);
          resolve(v);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', abort);
          reject(e);
        },
        onEvent,
      });
      this.port.postMessage({ kind: 'call', id, method, args });
    });
  }

  /** A typed proxy: `client.proxy<SessionApi>(SESSION_METHODS).open(req)`. */
  proxy<T>(methods: readonly (keyof T & string)[]): Remote<T> {
    const api: Record<string, unknown> = {};
    for (const m of methods) {
      api[m] = (...args: unknown[]) => {
        const last = args[args.length - 1];
        const hasOptions = isCallOptions(last) && args.length > 0;
        return this.call(
          m,
          hasOptions ? args.slice(0, -1) : args,
          hasOptions ? (last as CallOptions) : {},
        );
      };
    }
    return api as Remote<T>;
  }

  close(): void {
    this.unsubscribe();
    this.failAll(new SessionError('cancelled', 'the connection was closed'));
  }

  private failAll(e: SessionError): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private receive(m: unknown): void {
    if (!isRpcMessage(m)) return;
    const msg = m as RpcMessage;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'event') p.onEvent?.(msg.name, msg.data);
    else if (msg.kind === 'result') {
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(SessionError.from(msg.error));
    }
  }
}

function isCallOptions(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k === 'signal' || k === 'onEvent');
}
