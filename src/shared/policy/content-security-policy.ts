/**
 * The renderer's Content-Security-Policy and the MIME types of its files, declared once for every
 * way the renderer is delivered: `perfws serve`'s static files, Electron's perfws-app:// protocol
 * handler (and its header for the dev server's pages), and the <meta> tag of index.html, which
 * must equal RENDERER_META_CSP (scripts/check-bundles.mjs checks the built page, a unit test the
 * source). A page obeys every policy it gets, so they agree, or the strictest silently wins.
 *
 * Only our own scripts, styles, images and fonts; no inline code or style elements, no eval, no
 * plugins, frames, forms or base URL. Vue and ECharts set element styles through the CSSOM, which
 * style-src does not restrict, so no 'unsafe-inline' is needed. The session is reached through a
 * MessagePort (Electron) or a same-origin WebSocket (served), which 'self' covers.
 */
const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives browsers ignore (and warn about) in a <meta> tag: they only work as headers. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

function policy(directives: readonly (readonly [string, string])[]): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The policy as a response header. `devServerOrigin`: Vite's dev server, whose module updates
 * arrive over a WebSocket on its own port. */
export function rendererContentSecurityPolicy(devServerOrigin?: string): string {
  if (!devServerOrigin) return policy(DIRECTIVES);
  const ws = devServerOrigin.replace(/^http/, 'ws');
  return policy(
    DIRECTIVES.map(([name, value]) =>
      name === 'connect-src' ? ([name, `${value} ${ws}`] as const) : ([name, value] as const),
    ),
  );
}

/** What index.html's <meta http-equiv="Content-Security-Policy"> holds. */
export const RENDERER_META_CSP = policy(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)));

/** Content types of the built renderer's files, by extension. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The Content-Type for a file name; unknown kinds are opaque bytes (with nosniff, never run). */
export function mimeTypeOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  const ext = dot > slash ? fileName.slice(dot).toLowerCase() : '';
  return MIME_TYPES[ext] ?? 'application/octet-stream';
}
