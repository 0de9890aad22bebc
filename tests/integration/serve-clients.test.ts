/**
 * One client of `perfws serve` must never stall or bloat the session for the others: a real
 * server process, several WebSocket clients.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/shared/rpc';
import { FIXTURES } from '../support/recordings';
import {
  rpcSocket,
  startServedProcess,
  waitLoaded,
  type ServedProcess,
} from '../support/served-process';

/** C++ names dozens of characters long: what makes a backtracking engine explode. */
const CXX = join(FIXTURES, 'real', 'cxx-demangle', 'perf.data');

let server: ServedProcess;
beforeAll(async () => {
  server = await startServedProcess(CXX);
  await waitLoaded(server);
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe('a catastrophic search pattern', () => {
  it("does not hold up another client's call", async () => {
    const attacker = await rpcSocket(server);
    const other = await rpcSocket(server);
    // With JavaScript's RegExp this runs for hours on any name of 30 characters or more.
    const search = attacker.call('flameGraph', [
      { filters: {}, width: 1200, search: '(.*.*)*\\x01' },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    const asked = Date.now();
    const threads = await other.call('threads');
    expect(threads.ok).toBe(true);
    expect(Date.now() - asked).toBeLessThan(1000);
    const answer = await search;
    expect(answer).toMatchObject({ ok: true, value: { matchTotal: 0 } });
    attacker.close();
    other.close();
  });

  it('a pattern RE2 cannot compile is refused with a clear message', async () => {
    const client = await rpcSocket(server);
    expect(
      await client.call('flameGraph', [{ filters: {}, width: 100, search: 'main(?=x)' }]),
    ).toMatchObject({
      ok: false,
      error: {
        kind: 'bad-request',
        message:
          'invalid search pattern: invalid or unsupported Perl syntax: `(?=` (search patterns use RE2 syntax)',
      },
    });
    client.close();
  });
});

/** Resident memory of a process, from /proc. */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

describe('a client that stops reading', () => {
  it('stops being served: the server does not queue its answers, and others are answered', async () => {
    const reader = await rpcSocket(server);
    const stalled = await rpcSocket(server);
    const socket = (stalled.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const before = rssBytes(server.child.pid!);
    // 2000 timelines of 16384 bins: about 350 MB of answers if the server produced them all.
    const call = (id: number): string =>
      encodeMessage({
        kind: 'call',
        id,
        method: 'timeline',
        args: [{ filters: {}, bins: 16_384, weight: 'period' }],
      });
    for (let id = 1; id <= 2000; id++) stalled.ws.send(call(id));
    await new Promise((r) => setTimeout(r, 100));
    // Only a few of its calls are in the session at a time: another client waits behind those.
    const asked = Date.now();
    expect((await reader.call('threads')).ok).toBe(true);
    expect(Date.now() - asked).toBeLessThan(2000);
    let peak = before;
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setTimeout(r, 100));
      peak = Math.max(peak, rssBytes(server.child.pid!));
    }
    expect(peak - before).toBeLessThan(100 << 20);
    stalled.ws.terminate();
    expect((await reader.call('summary')).ok).toBe(true);
    reader.close();
  });
});
