/**
 * One client of `perfws serve` must never stall or bloat the session for the others: a real
 * server process, several WebSocket clients.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
