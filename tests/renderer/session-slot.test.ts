import { describe, expect, it } from 'vitest';
import { shallowRef } from 'vue';
import type { RendererSession } from '../../src/renderer/queries/renderer-session';
import { createSessionSlot } from '../../src/renderer/queries/session-slot';
import type { PortLike } from '../../src/shared/rpc';

/** A port that records whether it was closed and can be closed from the other side. */
function fakePort(): PortLike & { closed: boolean; closeRemotely(): void } {
  const closeListeners: (() => void)[] = [];
  return {
    closed: false,
    postMessage: () => {},
    onMessage: () => () => {},
    onClose(listener) {
      closeListeners.push(listener);
      return () => {};
    },
    close() {
      this.closed = true;
    },
    closeRemotely: () => closeListeners.forEach((l) => l()),
  };
}

describe('a session slot', () => {
  it('makes the connection its session and hands back what prepare gave', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const port = fakePort();
    const connected = await slot.connectSession(
      slot.reset(),
      async () => port,
      async () => 'threads',
    );
    expect(connected).toEqual({ prepared: 'threads' });
    expect(session.value).toBeDefined();
    expect(port.closed).toBe(false);
  });

  it('closes a connection whose attempt a newer reset made stale, keeping the newer one', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const older = fakePort();
    const newer = fakePort();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = slot.connectSession(
      slot.reset(),
      async () => older,
      () => gate,
    );
    const second = await slot.connectSession(
      slot.reset(),
      async () => newer,
      async () => 'newer',
    );
    const kept = session.value;
    release();
    expect(await first).toBeUndefined();
    expect(older.closed).toBe(true);
    expect(second).toEqual({ prepared: 'newer' });
    expect(session.value).toBe(kept);
    expect(newer.closed).toBe(false);
  });

  it('closes a connection that arrives after a reset, before prepare runs', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const port = fakePort();
    let prepared = false;
    const current = slot.reset();
    const pending = slot.connectSession(
      current,
      async () => {
        slot.reset();
        return port;
      },
      async () => {
        prepared = true;
      },
    );
    expect(await pending).toBeUndefined();
    expect(port.closed).toBe(true);
    expect(prepared).toBe(false);
    expect(current()).toBe(false);
  });

  it('forgets the session when the other side closes, or on reset', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const port = fakePort();
    await slot.connectSession(
      slot.reset(),
      async () => port,
      async () => {},
    );
    port.closeRemotely();
    expect(session.value).toBeUndefined();

    const again = fakePort();
    await slot.connectSession(
      slot.reset(),
      async () => again,
      async () => {},
    );
    expect(session.value).toBeDefined();
    slot.reset();
    expect(again.closed).toBe(true);
    expect(session.value).toBeUndefined();
  });
});
