import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../src/shared/rpc';
import { ROOT } from './support/build-renderer';
import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';

const PERFWS = join(ROOT, 'out', 'node', 'perfws.js');

/** A GET with full control of the headers (fetch may not set Host). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and reports how the server answered: open, or the HTTP status. */
function tryWebSocket(url: string, origin?: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

function call(ws: WebSocket, id: number, method: string, args: unknown[] = []): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = decodeMessage(data.toString()) as { kind: string; id: number };
      if (m.kind === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(encodeMessage({ kind: 'call', id, method, args }));
  });
}

test('every request needs the token; the page has a strict CSP; the Host must be loopback', async ({
  perfws,
}) => {
  const server = await perfws.serve(fixture('real/fp-recurse/perf.data'));
  const base = `http://127.0.0.1:${server.port}`;
  expect((await get(`${base}/`)).status).toBe(401);
  expect((await get(`${base}/?token=${'0'.repeat(48)}`)).status).toBe(401);
  expect((await get(`${base}/assets/anything.js`)).status).toBe(401);
  const page = await get(server.url);
  expect(page.status).toBe(200);
  const csp = String(page.headers['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe');
  // The cookie set with the page lets the page load its own assets without the token in the URL.
  // Browsers send it to every port of 127.0.0.1: it is not the token, and named for this run.
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  expect((await get(`${base}/index.html`, { cookie })).status).toBe(200);
  expect(cookie).toMatch(new RegExp(`^perfws-page-${server.port}-[0-9a-f]{8}=[0-9a-f]{48}$`));
  expect(cookie).not.toContain(server.token);
  expect(String(page.headers['referrer-policy'])).toBe('no-referrer');
  // DNS rebinding: a page of another name resolving to 127.0.0.1 is refused.
  expect((await get(server.url, { host: `evil.example:${server.port}` })).status).toBe(403);
});

test('WebSockets need the token and our origin; a browser may not call `open`', async ({
  perfws,
}) => {
  const server = await perfws.serve(fixture('real/fp-recurse/perf.data'));
  await expect.poll(() => server.recording.state.phase).toBe('loaded');
  const ws = `ws://127.0.0.1:${server.port}/ws/session`;
  expect(await tryWebSocket(ws)).toBe(401);
  expect(await tryWebSocket(`${ws}?token=${server.token}`, 'http://evil.example')).toBe(403);
  const socket = await tryWebSocket(
    `${ws}?token=${server.token}`,
    `http://127.0.0.1:${server.port}`,
  );
  expect(socket).toBeInstanceOf(WebSocket);
  const open = socket as WebSocket;
  expect(await call(open, 1, 'open', [{ path: '/etc/passwd' }])).toMatchObject({
    ok: false,
    error: { kind: 'bad-request', message: 'unknown method open' },
  });
  expect(await call(open, 2, 'hello')).toMatchObject({ ok: true, value: { protocol: 1 } });
  open.close();
});

test('the token leaves the address bar after the first load; a reload still works', async ({
  page,
  perfws,
}) => {
  const server = await perfws.open(page, fixture('real/forkexec/perf.data'));
  expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
  // The socket that was open stays; the cookie alone could not open another.
  expect(
    await tryWebSocket(
      `ws://127.0.0.1:${server.port}/ws/session`,
      `http://127.0.0.1:${server.port}`,
    ),
  ).toBe(401);
  await page.reload();
  await expect(page.getByTestId('workspace')).toBeVisible();
  expect(page.url()).not.toContain('token');
  await expect(page.getByTestId('flame-graph-canvas')).not.toHaveAttribute('data-nodes', '0');
});

test('a crashed session is reported in place and Reopen brings the recording back', async ({
  page,
  perfws,
}) => {
  const server = await perfws.open(page, fixture('real/forkexec/perf.data'));
  const pid = server.recording.sessionPid!;
  process.kill(pid, 'SIGKILL');
  await expect(page.getByTestId('recording-status')).toHaveAttribute('data-phase', 'crashed');
  await expect(page.getByTestId('failure-message')).toContainText('SIGKILL');
  await screenshot(page, 'crashed-light');
  await page.getByTestId('reopen').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  expect(server.recording.sessionPid).not.toBe(pid);
  await expect(page.getByTestId('flame-graph-canvas')).not.toHaveAttribute('data-nodes', '0');
});

test('`perfws serve` prints its URL with the token on a line of its own', async () => {
  const help = existsSync(PERFWS)
    ? spawnSync(process.execPath, [PERFWS, '--help'], { encoding: 'utf8' }).stdout
    : '';
  test.skip(
    !/^\s+serve\b/m.test(help),
    'out/node/perfws.js does not register `serve` yet (src/cli/perfws.ts, then npm run build)',
  );
  const symbols = fixtureSymbols();
  const child = spawn(
    process.execPath,
    [
      PERFWS,
      'serve',
      fixture('real/fp-recurse/perf.data'),
      '--symfs',
      symbols.symfs!,
      '--kallsyms',
      symbols.kallsyms!,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48})$/m.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`perfws serve exited (${code}): ${out}`)));
    });
    expect((await get(url)).status).toBe(200);
    expect((await get(url.replace(/\?token=.*/, ''))).status).toBe(401);
  } finally {
    child.kill('SIGINT');
  }
});
