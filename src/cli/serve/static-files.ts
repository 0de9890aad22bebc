import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import {
  mimeTypeOf,
  rendererContentSecurityPolicy,
} from '../../shared/policy/content-security-policy';

/** Headers every response carries. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', rendererContentSecurityPolicy());
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token is in the URL: never leak it to another site through Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** The file under `root` a URL path names, or undefined when it escapes root or is missing. */
export function fileFor(root: string, urlPath: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (relative.includes('\0')) return undefined;
  if (relative === '/' || relative === '') relative = '/index.html';
  const path = normalize(join(root, relative));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Streams one file of the built renderer (GET and HEAD). */
export function sendFile(res: ServerResponse, path: string, head: boolean): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', mimeTypeOf(path));
  res.setHeader('Content-Length', statSync(path).size);
  // Vite names assets by content hash; the page itself must always be fresh.
  res.setHeader(
    'Cache-Control',
    path.includes(`${sep}assets${sep}`) ? 'private, max-age=31536000, immutable' : 'no-store',
  );
  if (head) {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}
