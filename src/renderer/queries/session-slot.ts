import { markRaw, type ShallowRef } from 'vue';
import type { PortLike } from '../../shared/rpc';
import { connectRpc, type RendererSession, type SessionConnection } from './renderer-session';

/**
 * One store's session connection (the recording's, or the compared recording's): at most one
 * open at a time, `session` set while it is. A newer `reset()` makes every earlier attempt stale,
 * so a connection that arrives late is closed instead of replacing the newer one; a close from
 * the other side (crash, reopen) clears `session`.
 */
export interface SessionSlot {
  /** Closes the connection and starts a new attempt; the check is true while it is the latest. */
  reset(): () => boolean;
  /**
   * Connects an RPC client to the port `open` gives and runs `prepare` on it (what the store
   * needs before the session is usable); then, if the attempt is still the latest, makes it the
   * slot's session and returns what `prepare` gave. A stale attempt's connection is closed and
   * the result is undefined.
   */
  connectSession<T>(
    current: () => boolean,
    open: () => Promise<PortLike>,
    prepare: (api: RendererSession) => Promise<T>,
  ): Promise<{ prepared: T } | undefined>;
}

export function createSessionSlot(session: ShallowRef<RendererSession | undefined>): SessionSlot {
  let connection: SessionConnection | undefined;
  let attempt = 0;

  function reset(): () => boolean {
    const mine = ++attempt;
    connection?.close();
    connection = undefined;
    session.value = undefined;
    return () => mine === attempt;
  }

  async function connectSession<T>(
    current: () => boolean,
    open: () => Promise<PortLike>,
    prepare: (api: RendererSession) => Promise<T>,
  ): Promise<{ prepared: T } | undefined> {
    const conn = connectRpc(await open());
    if (!current()) {
      conn.close();
      return undefined;
    }
    const prepared = await prepare(conn.api);
    if (!current()) {
      conn.close();
      return undefined;
    }
    connection = conn;
    conn.onClose(() => {
      if (connection !== conn) return;
      connection = undefined;
      session.value = undefined;
    });
    session.value = markRaw(conn.api);
    return { prepared };
  }

  return { reset, connectSession };
}
