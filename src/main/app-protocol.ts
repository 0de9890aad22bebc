import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { mimeTypeOf } from '../shared/policy/content-security-policy';
import { APP_HOST, APP_SCHEME } from './renderer-location';

/**
 * Must run before the app is ready. Standard: an origin of its own and relative URLs; secure: a
 * secure context; CORS-enabled: Vite's `<script type="module" crossorigin>` loads from it.
 */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        codeCache: true,
      },
    },
  ]);
}

/** Serves the built renderer (and nothing else) on `perfws-app://renderer/`. */
export function serveRendererFiles(protocol: Protocol, rendererDir: string, policy: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url, policy));
}

export async function rendererResponse(
  rendererDir: string,
  url: string,
  policy: string,
): Promise<Response> {
  const file = resolveRendererFile(rendererDir, url);
  if (!file) return new Response('not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return new Response('not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': mimeTypeOf(file),
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The file a URL names inside the renderer folder; undefined for anything outside it. */
export function resolveRendererFile(rendererDir: string, url: string): string | undefined {
  let u: URL;
  let pathname: string;
  try {
    u = new URL(url);
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || pathname.includes('\0')) {
    return undefined;
  }
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + (pathname === '/' ? '/index.html' : pathname));
  return file.startsWith(root + sep) ? file : undefined;
}
