import { SessionError } from '../contract/errors';
import { isRpcMessage, type PortLike } from './messages';

/** What a service method receives besides its arguments. */
export interface CallContext {
  signal: AbortSignal;
  emit(name: string, data: unknown): void;
}

/** A contract as implemented: every method takes a trailing CallContext. */
export type Service<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: [...A, CallContext]) => Promise<R>
    : never;
};

/**
 * The serving side of the RPC: dispatches calls to the service's allowed methods only, runs each
 * with its own AbortController, and turns every failure into a serialisable error.
 */
export function serve<T>(
  port: PortLike,
  service: Service<T>,
  methods: readonly (keyof T & string)[],
): () => void {
  const allowed = new Set<string>(methods);
  const running = new Map<number, AbortController>();
  return port.onMessage(async (m) => {
    if (!isRpcMessage(m)) return;
    if (m.kind === 'cancel') {
      running.get(m.id)?.abort();
      return;
    }
    if (m.kind !== 'call') return;
    const { id, method, args } = m;
    if (!allowed.has(method) || !Array.isArray(args)) {
      port.postMessage({
        kind: 'result',
        id,
        ok: false,
        error: { kind: 'bad-request', message: `unknown method ${String(method)}` },
      });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const ctx: CallContext = {
      signal: controller.signal,
      emit: (name, data) => port.postMessage({ kind: 'event', id, name, data }),
    };
    try {
      const fn = (service as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
        method
      ]!;
      const value = await fn.call(service, ...args, ctx);
      port.postMessage({ kind: 'result', id, ok: true, value });
    } catch (e) {
      const err = controller.signal.aborted
        ? new SessionError('cancelled', 'cancelled')
        : SessionError.from(e);
      port.postMessage({ kind: 'result', id, ok: false, error: err.serialize() });
    } finally {
      running.delete(id);
    }
  });
}
