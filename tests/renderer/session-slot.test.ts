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

const nothing = async (): Promise<void> => {};
const ignore = (): void => {};

describe('a session slot', () => {
  it('applies what prepare gave, then makes the connection its session, in one step', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const port = fakePort();
    const applied: unknown[] = [];
    const kept = await slot.connectSession(
      slot.reset(),
      async () => port,
      async () => 'threads',
      (prepared) => applied.push(prepared, session.value),
    );
    expect(kept).toBe(true);
    expect(applied).toEqual(['threads', undefined]);
    expect(session.value).toBeDefined();
    expect(port.closed).toBe(false);
  });

  it('closes a connection a newer reset made stale while it prepared, keeping the newer one', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const older = fakePort();
    const newer = fakePort();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let preparing!: () => void;
    const started = new Promise<void>((r) => (preparing = r));
    const applied: string[] = [];
    const first = slot.connectSession(
      slot.reset(),
      async () => older,
      () => {
        preparing();
        return gate;
      },
      () => applied.push('older'),
    );
    await started;
    const second = await slot.connectSession(
      slot.reset(),
      async () => newer,
      async () => 'newer',
      (p) => applied.push(p),
    );
    const newerSession = session.value;
    release();
    expect(await first).toBe(false);
    expect(older.closed).toBe(true);
    expect(second).toBe(true);
    expect(applied).toEqual(['newer']);
    expect(session.value).toBe(newerSession);
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
      ignore,
    );
    expect(await pending).toBe(false);
    expect(port.closed).toBe(true);
    expect(prepared).toBe(false);
    expect(current()).toBe(false);
    expect(session.value).toBeUndefined();
  });

  it('forgets the session when the other side closes, or on reset', async () => {
    const session = shallowRef<RendererSession>();
    const slot = createSessionSlot(session);
    const port = fakePort();
    await slot.connectSession(slot.reset(), async () => port, nothing, ignore);
    port.closeRemotely();
    expect(session.value).toBeUndefined();

    const again = fakePort();
    await slot.connectSession(slot.reset(), async () => again, nothing, ignore);
    expect(session.value).toBeDefined();
    slot.reset();
    expect(again.closed).toBe(true);
    expect(session.value).toBeUndefined();
  });
});
