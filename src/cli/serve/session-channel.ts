import { RENDERER_METHODS, type SessionApi } from '../../shared/contract';
import { serve, type CallContext, type Service } from '../../shared/rpc';
import { ClientCalls } from './client-calls';
import type { SessionProcess } from './session-process';
import type { WebSocketPort } from './websocket-port';

/**
 * Forwards a browser's session calls to the session process, allowing only RENDERER_METHODS
 * (never `open`: a browser does not name files). `serve` refuses everything else, cancels, and
 * serialises errors; the session's events (export chunks) flow back per call. A few calls run at
 * a time and only while the browser reads its answers (ClientCalls); calls still running when the
 * browser goes away are cancelled and those waiting dropped, so the session does not work for nobody.
 */
export function serveSessionChannel(port: WebSocketPort, session: SessionProcess): () => void {
  const calls = new ClientCalls(port);
  const running = new Set<AbortController>();
  const forward: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of RENDERER_METHODS) {
    forward[method] = async (...args: unknown[]) => {
      const ctx = args.pop() as CallContext;
      const leave = await calls.enter(ctx.signal);
      const call = new AbortController();
      const abort = (): void => call.abort();
      ctx.signal.addEventListener('abort', abort, { once: true });
      running.add(call);
      try {
        return await session.client.call(method, args, { signal: call.signal, onEvent: ctx.emit });
      } finally {
        running.delete(call);
        ctx.signal.removeEventListener('abort', abort);
        leave();
      }
    };
  }
  port.onClose?.(() => {
    for (const call of running) call.abort();
  });
  return serve<SessionApi>(port, forward as unknown as Service<SessionApi>, RENDERER_METHODS);
}
