import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../src/shared/rpc';
import { buildRenderer, RENDERER_INDEX, ROOT } from '../e2e/support/build-renderer';

const PERFWS = join(ROOT, 'src', 'cli', 'perfws.ts');

/** A real `perfws serve FILE` child process (from the sources, through tsx). */
export interface ServedProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Stops it (SIGINT) and waits for it to exit. */
  stop(): Promise<void>;
}

/** `perfws serve` needs the built renderer: build it once when it is missing. */
export async function ensureRenderer(): Promise<void> {
  if (!existsSync(RENDERER_INDEX)) await buildRenderer();
}

export async function startServedProcess(
  file: string,
  args: string[] = [],
): Promise<ServedProcess> {
  await ensureRenderer();
  const child = spawn(process.execPath, ['--import', 'tsx', PERFWS, 'serve', file, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48})$/m.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`perfws serve exited (${code}): ${out}${err}`)));
  });
  const parsed = new URL(url);
  return {
    child,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    url,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/** The HTTP status of a GET. */
export function httpStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An authorised RPC client over a WebSocket (the `ws` library, like a well-behaved browser). */
export interface RpcSocket {
  readonly ws: WebSocket;
  call(
    method: string,
    args?: unknown[],
  ): Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  close(): void;
}

export function rpcSocket(server: ServedProcess, path = '/ws/session'): Promise<RpcSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}?token=${server.token}`);
  let nextId = 1;
  const pending = new Map<number, (m: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    const m = decodeMessage(data.toString()) as { kind: string; id: number; ok: boolean };
    if (m.kind === 'result') pending.get(m.id)?.(m);
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        call: (method, args = []) =>
          new Promise((done) => {
            const id = nextId++;
            pending.set(id, done);
            ws.send(encodeMessage({ kind: 'call', id, method, args }));
          }),
        close: () => ws.close(),
      }),
    );
  });
}

/** Waits until the served recording has loaded (its session sockets answer from then on). */
export async function waitLoaded(server: ServedProcess): Promise<void> {
  const host = await rpcSocket(server, '/ws/host');
  try {
    for (let i = 0; i < 600; i++) {
      const state = await host.call('state');
      const phase = (state.value as { phase?: string } | undefined)?.phase;
      if (phase === 'loaded') return;
      if (phase === 'failed' || phase === 'crashed') throw new Error(JSON.stringify(state.value));
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the recording did not load');
  } finally {
    host.close();
  }
}

/** The served process still works: its page loads and a new socket gets an answer. */
export async function stillAnswers(server: ServedProcess): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return false;
  if ((await httpStatus(server.url)) !== 200) return false;
  const client = await rpcSocket(server);
  const hello = await client.call('hello');
  client.close();
  return hello.ok === true;
}

/**
 * A hand-driven WebSocket client for sending what no library would: the handshake written by
 * hand, then raw frames.
 */
export class RawWebSocket {
  private received = Buffer.alloc(0);
  private readonly ended: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on('error', () => {});
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects and sends an upgrade request; `upgraded` waits for the server's 101. */
  static connect(port: number, path: string): Promise<RawWebSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        const raw = new RawWebSocket(socket);
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
            'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
            'Sec-WebSocket-Version: 13\r\n\r\n',
        );
        resolve(raw);
      });
      socket.once('error', reject);
    });
  }

  async upgraded(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const head = this.received.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0) {
        if (!head.startsWith('HTTP/1.1 101')) throw new Error(`not upgraded: ${head.slice(0, 40)}`);
        this.received = this.received.subarray(end + 4);
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no answer to the upgrade request');
  }

  /** Sends one frame: `first` is the FIN/RSV/opcode byte; masked unless told otherwise. */
  sendFrame(
    first: number,
    payload: Uint8Array,
    { masked = true, declaredLength }: { masked?: boolean; declaredLength?: number } = {},
  ): void {
    const length = declaredLength ?? payload.length;
    const parts: Buffer[] = [];
    const maskBit = masked ? 0x80 : 0;
    if (length < 126) parts.push(Buffer.from([first, maskBit | length]));
    else if (length < 65536) {
      const b = Buffer.from([first, maskBit | 126, 0, 0]);
      b.writeUInt16BE(length, 2);
      parts.push(b);
    } else {
      const b = Buffer.alloc(10);
      b[0] = first;
      b[1] = maskBit | 127;
      b.writeBigUInt64BE(BigInt(length), 2);
      parts.push(b);
    }
    const body = Buffer.from(payload);
    if (masked) {
      const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
      for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ key[i % 4]!;
      parts.push(key);
    }
    parts.push(body);
    this.socket.write(Buffer.concat(parts));
  }

  /** The status code of the server's close frame, once the connection has ended. */
  async closeCode(): Promise<number | undefined> {
    await Promise.race([this.ended, new Promise((r) => setTimeout(r, 5000))]);
    let at = 0;
    while (at + 2 <= this.received.length) {
      const opcode = this.received[at]! & 0x0f;
      let length = this.received[at + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        length = this.received.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        length = Number(this.received.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (opcode === 0x8 && length >= 2) return this.received.readUInt16BE(at + header);
      at += header + length;
    }
    return undefined;
  }

  /** Ends the connection with a TCP reset (RST), as a page closing mid-handshake can. */
  reset(): void {
    this.socket.resetAndDestroy();
  }
}
