import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  COMPARISON_SOCKET_PATH,
  HOST_SOCKET_PATH,
  SESSION_SOCKET_PATH,
  type SymbolSettings,
} from '../../shared/contract';
import {
  checkHttpRequest,
  checkWebSocketRequest,
  createAccessPolicy,
  pageCookie,
  type AccessPolicy,
} from './access';
import { serveHostChannel } from './host-channel';
import { RENDERER_BUILD_HINT } from './renderer-dir';
import { ServedRecording } from './served-recording';
import { serveSessionChannel } from './session-channel';
import type { SessionEntry } from './session-entry';
import { fileFor, securityHeaders, sendFile, sendText } from './static-files';
import { webSocketPort } from './websocket-port';

export interface ServeOptions {
  file: string;
  /** A second recording, compared against FILE (the baseline) in the differential views. */
  compare?: string;
  /** 0: any free port. */
  port: number;
  hostCheck: boolean;
  symbols: SymbolSettings;
  rendererDir: string;
  sessionEntry: SessionEntry;
}

export interface RunningServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly recording: ServedRecording;
  readonly comparison: ServedRecording | undefined;
  close(): Promise<void>;
}

/** Browsers send only small calls. */
const MAX_INCOMING_MESSAGE_BYTES = 1 << 20;

/**
 * `perfws serve`: the renderer in a browser, over loopback, with a per-run token. Serves the
 * built renderer, opens FILE in a forked session, and bridges browsers' sockets to it.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const recording = new ServedRecording(options.file, options.symbols, options.sessionEntry);
  const comparison =
    options.compare === undefined
      ? undefined
      : new ServedRecording(options.compare, options.symbols, options.sessionEntry);
  const http = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const policy = createAccessPolicy(port, options.hostCheck);

  http.on('request', (req, res) => handleHttp(policy, options.rendererDir, req, res));
  http.on('upgrade', (req, socket, head) => {
    // A peer can reset a socket at any moment, and an 'error' nobody listens to ends the process.
    // Node gives HTTP sockets a listener, but hands an upgrading one over without it.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const verdict = checkWebSocketRequest(policy, req, url);
    if (!verdict.ok) {
      refuseUpgrade(socket, verdict.status, verdict.why);
      return;
    }
    const paths = [
      HOST_SOCKET_PATH,
      SESSION_SOCKET_PATH,
      ...(comparison ? [COMPARISON_SOCKET_PATH] : []),
    ];
    if (!paths.includes(url.pathname)) {
      refuseUpgrade(socket, 404, 'no such socket');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      // A bad frame (invalid UTF-8, reserved bits, unmasked, too big...): ws has already begun
      // closing that connection with the code the error calls for; the others go on.
      ws.on('error', () => {});
      if (url.pathname === HOST_SOCKET_PATH) {
        serveHostChannel(webSocketPort(ws), recording, comparison);
      } else if (url.pathname === COMPARISON_SOCKET_PATH && comparison) {
        connectSessionSocket(ws, comparison);
      } else connectSessionSocket(ws, recording);
    });
  });

  void recording.open();
  void comparison?.open();
  return {
    url: `http://127.0.0.1:${port}/?token=${policy.token}`,
    port,
    token: policy.token,
    recording,
    comparison,
    close: async () => {
      recording.close();
      comparison?.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function connectSessionSocket(ws: WebSocket, recording: ServedRecording): void {
  const session = recording.loadedSession;
  if (!session) {
    ws.close(1013, 'no recording is loaded');
    return;
  }
  serveSessionChannel(webSocketPort(ws), session);
  // A crash or reopen ends this session: the browser reconnects when the next one is loaded.
  const unsubscribe = recording.onSessionEnd(() => ws.close(1012, 'the session ended'));
  ws.once('close', unsubscribe);
}

function handleHttp(
  policy: AccessPolicy,
  rendererDir: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  securityHeaders(res);
  const url = requestUrl(req);
  const verdict = checkHttpRequest(policy, req, url);
  if (!verdict.ok) {
    sendText(res, verdict.status, `perfws serve: ${verdict.why}`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'perfws serve: only GET and HEAD');
    return;
  }
  if (verdict.viaQuery) res.setHeader('Set-Cookie', pageCookie(policy));
  const path = fileFor(rendererDir, url.pathname);
  if (!path) {
    const missingUi = url.pathname === '/' || url.pathname === '/index.html';
    sendText(res, 404, missingUi ? `perfws serve: ${RENDERER_BUILD_HINT}` : 'not found');
    return;
  }
  sendFile(res, path, req.method === 'HEAD');
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://127.0.0.1');
}

function refuseUpgrade(socket: Duplex, status: number, why: string): void {
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`,
  );
}
