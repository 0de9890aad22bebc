/**
 * One browser's calls reach the shared session a few at a time, only while it reads its answers,
 * and never after it has gone.
 */
import { describe, expect, it } from 'vitest';
import {
  ClientCalls,
  MAX_RUNNING_CALLS,
  MAX_WAITING_CALLS,
} from '../../../src/cli/serve/client-calls';
import type { WebSocketPort } from '../../../src/cli/serve/websocket-port';

/** A port whose send buffer the test fills and drains. */
function fakePort() {
  let full = false;
  let closed = false;
  let waiters: { resolve(): void; reject(e: Error): void }[] = [];
  const closeListeners: (() => void)[] = [];
  const settle = (): void => {
    if (full && !closed) return;
    for (const w of waiters.splice(0)) {
      if (closed) w.reject(new Error('closed'));
      else w.resolve();
    }
  };
  const port: WebSocketPort = {
    postMessage: () => {},
    onMessage: () => () => {},
    onClose: (listener) => {
      closeListeners.push(listener);
      return () => {};
    },
    writable: () =>
      new Promise<void>((resolve, reject) => {
        waiters = [...waiters, { resolve, reject }];
        settle();
      }),
  };
  return {
    port,
    fill: () => (full = true),
    drain: () => {
      full = false;
      settle();
    },
    close: () => {
      closed = true;
      settle();
      for (const l of closeListeners) l();
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Starts `n` calls; `admitted` lists the indexes that got their turn, in order. */
function start(calls: ClientCalls, n: number, signal = new AbortController().signal) {
  const admitted: number[] = [];
  const ends: (() => void)[] = [];
  const outcomes = Array.from({ length: n }, (_, i) =>
    calls.enter(signal).then(
      (end) => {
        admitted.push(i);
        ends[i] = end;
        return 'admitted';
      },
      (e: { kind: string }) => e.kind,
    ),
  );
  return { admitted, ends, outcomes };
}

describe('ClientCalls', () => {
  it(`runs at most ${MAX_RUNNING_CALLS} calls at once; the next starts when one ends`, async () => {
    const { port } = fakePort();
    const calls = new ClientCalls(port);
    const { admitted, ends } = start(calls, MAX_RUNNING_CALLS + 2);
    await tick();
    expect(admitted).toEqual([0, 1, 2, 3]);
    ends[1]!();
    ends[1]!(); // ending twice frees one slot only
    await tick();
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
  });

  it('admits nothing while the socket does not take what it is sent', async () => {
    const socket = fakePort();
    const calls = new ClientCalls(socket.port);
    socket.fill();
    const { admitted } = start(calls, 2);
    await tick();
    expect(admitted).toEqual([]);
    socket.drain();
    await tick();
    expect(admitted).toEqual([0, 1]);
  });

  it('drops the calls still waiting when the client goes away; none reaches the session', async () => {
    const socket = fakePort();
    const calls = new ClientCalls(socket.port);
    socket.fill();
    const { admitted, outcomes } = start(calls, MAX_RUNNING_CALLS + 3);
    await tick();
    socket.close();
    expect(await Promise.all(outcomes)).toEqual(Array(MAX_RUNNING_CALLS + 3).fill('cancelled'));
    expect(admitted).toEqual([]);
    expect(await calls.enter(new AbortController().signal).catch((e) => e.kind)).toBe('cancelled');
  });

  it(`refuses a call beyond ${MAX_WAITING_CALLS} waiting ones`, async () => {
    const socket = fakePort();
    const calls = new ClientCalls(socket.port);
    const { outcomes } = start(calls, MAX_RUNNING_CALLS + MAX_WAITING_CALLS + 1);
    await tick();
    expect(await outcomes[MAX_RUNNING_CALLS + MAX_WAITING_CALLS]).toBe('bad-request');
  });

  it('a waiting call that is cancelled leaves the queue', async () => {
    const socket = fakePort();
    const calls = new ClientCalls(socket.port);
    const running = start(calls, MAX_RUNNING_CALLS);
    const cancel = new AbortController();
    const waiting = start(calls, 1, cancel.signal);
    const next = start(calls, 1);
    await tick();
    cancel.abort();
    expect(await waiting.outcomes[0]).toBe('cancelled');
    running.ends[0]!();
    await tick();
    expect(next.admitted).toEqual([0]);
  });
});
