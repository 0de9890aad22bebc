/**
 * `perfws serve` as an attacker on this machine meets it: a real server process, sockets reset
 * mid-upgrade and malformed WebSocket frames. It must stay up and keep answering.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/recordings';
import {
  RawWebSocket,
  startServedProcess,
  stillAnswers,
  waitLoaded,
  type ServedProcess,
} from '../support/served-process';

const FP = join(FIXTURES, 'real', 'fp-recurse', 'perf.data');

let server: ServedProcess;
beforeAll(async () => {
  server = await startServedProcess(FP);
  await waitLoaded(server);
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe('a socket reset during the upgrade', () => {
  it.each([
    ['refused for its missing token', () => '/ws/session'],
    ['refused for its path', () => `/ws/nothing?token=${server.token}`],
    ['accepted', () => `/ws/host?token=${server.token}`],
  ])('%s does not stop the server', async (_name, path) => {
    // The reset has to land while the server answers the upgrade: try it many times.
    for (let i = 0; i < 40; i++) {
      const raw = await RawWebSocket.connect(server.port, path());
      raw.reset();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await stillAnswers(server), server.stderr()).toBe(true);
  });
});

describe('a malformed frame on an authorised socket', () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const closeWith = (code: number): Uint8Array => new Uint8Array([code >> 8, code & 0xff]);

  it.each([
    [
      'invalid UTF-8 in a text frame',
      1007,
      (ws: RawWebSocket) => ws.sendFrame(0x81, new Uint8Array([0xc3, 0x28])),
    ],
    ['reserved bits set', 1002, (ws: RawWebSocket) => ws.sendFrame(0xc1, text('{}'))],
    [
      'a close code no one may send',
      1002,
      (ws: RawWebSocket) => ws.sendFrame(0x88, closeWith(1005)),
    ],
    [
      'an unmasked client frame',
      1002,
      (ws: RawWebSocket) => ws.sendFrame(0x81, text('{}'), { masked: false }),
    ],
    ['an unknown opcode', 1002, (ws: RawWebSocket) => ws.sendFrame(0x83, text('{}'))],
    [
      'a frame over the maximum payload',
      1009,
      (ws: RawWebSocket) => ws.sendFrame(0x81, new Uint8Array(0), { declaredLength: 2 << 20 }),
    ],
  ])('%s closes that connection with %i; the server keeps answering', async (_name, code, send) => {
    const bystander = await RawWebSocket.connect(server.port, `/ws/host?token=${server.token}`);
    await bystander.upgraded();
    const raw = await RawWebSocket.connect(server.port, `/ws/session?token=${server.token}`);
    await raw.upgraded();
    send(raw);
    expect(await raw.closeCode()).toBe(code);
    expect(await stillAnswers(server), server.stderr()).toBe(true);
    // Another connection that was open all along is still open.
    expect(bystander.socket.destroyed).toBe(false);
    bystander.reset();
  });
});
