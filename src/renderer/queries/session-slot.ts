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
   * needs before the session is usable); then, if the attempt is still the latest, `apply`s what
   * `prepare` gave and makes the connection the slot's session, in one synchronous step (so no
   * watcher sees the session without what was prepared for it). A stale attempt's connection is
   * closed. True when the connection was kept.
   */
  connectSession<T>(
    current: () => boolean,
    open: () => Promise<PortLike>,
    prepare: (api: RendererSession) => Promise<T>,
    apply: (prepared: T) => void,
  ): Promise<boolean>;
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
    apply: (prepared: T) => void,
  ): Promise<boolean> {
    const conn = connectRpc(await open());
    if (!current()) {
      conn.close();
      return false;
    }
    const prepared = await prepare(conn.api);
    if (!current()) {
      conn.close();
      return false;
    }
    apply(prepared);
    connection = conn;
    conn.onClose(() => {
      if (connection !== conn) return;
      connection = undefined;
      session.value = undefined;
    });
    session.value = markRaw(conn.api);
    return true;
  }

  return { reset, connectSession };
}
