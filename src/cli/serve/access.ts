import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the served mode: loopback peers only, with the per-run token, and (unless
 * disabled) only under a loopback host name, which defeats DNS rebinding. The token travels in
 * the printed URL's query (the page then moves it out of the address bar). Page loads also get a
 * cookie so that the page's own files load without the token; browsers send a cookie to every
 * port of 127.0.0.1, so it is not the token but a key of its own, good for static files only,
 * under a name of this port and run. WebSockets must carry the token in their URL and come from
 * our own origin (no cookie-only sockets: that would let another site's page open one).
 */
export interface AccessPolicy {
  readonly token: string;
  readonly cookieName: string;
  /** What the cookie holds: lets a page load our static files, nothing else. */
  readonly cookieValue: string;
  readonly hostCheck: boolean;
}

export type Verdict =
  { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; why: string };

export function createAccessPolicy(port: number, hostCheck: boolean): AccessPolicy {
  return {
    token: randomBytes(24).toString('hex'),
    // Cookies ignore ports: naming it by port and run keeps servers from overwriting each other's.
    cookieName: `perfws-page-${port}-${randomBytes(4).toString('hex')}`,
    cookieValue: randomBytes(24).toString('hex'),
    hostCheck,
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The host name of a Host header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
export function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return match?.[1];
}

export function sameToken(expected: string, candidate: string | null | undefined): boolean {
  if (!candidate) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function peerAndHost(policy: AccessPolicy, req: IncomingMessage): Verdict | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    return { ok: false, status: 403, why: 'only this machine may connect' };
  }
  if (policy.hostCheck && !LOOPBACK_HOSTS.has(hostName(req.headers.host) ?? '')) {
    return { ok: false, status: 403, why: 'unexpected Host header (use http://127.0.0.1:PORT/)' };
  }
  return undefined;
}

/** An HTTP request (static files only): the token in the query, or our cookie. */
export function checkHttpRequest(policy: AccessPolicy, req: IncomingMessage, url: URL): Verdict {
  const refused = peerAndHost(policy, req);
  if (refused) return refused;
  if (sameToken(policy.token, url.searchParams.get('token'))) return { ok: true, viaQuery: true };
  if (sameToken(policy.cookieValue, cookieValue(req.headers.cookie, policy.cookieName))) {
    return { ok: true, viaQuery: false };
  }
  return { ok: false, status: 401, why: 'open the URL printed by `perfws serve` (with its token)' };
}

/** A WebSocket upgrade: token in the query, and a same-origin page (or no browser at all). */
export function checkWebSocketRequest(
  policy: AccessPolicy,
  req: IncomingMessage,
  url: URL,
): Verdict {
  const refused = peerAndHost(policy, req);
  if (refused) return refused;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    return { ok: false, status: 403, why: 'cross-origin WebSocket' };
  }
  if (!sameToken(policy.token, url.searchParams.get('token'))) {
    return { ok: false, status: 401, why: 'missing or wrong token' };
  }
  return { ok: true, viaQuery: true };
}

export function pageCookie(policy: AccessPolicy): string {
  return `${policy.cookieName}=${policy.cookieValue}; Path=/; HttpOnly; SameSite=Strict`;
}
