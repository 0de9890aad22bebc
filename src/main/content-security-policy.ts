import type { Session } from 'electron';

/**
 * The app pages' Content-Security-Policy, sent as a header (the renderer's index.html also has
 * one in a <meta>; a page obeys both). Scripts only from the app itself, no eval, no plugins, no
 * frames, no forms; inline styles are allowed because Vue and ECharts set element styles. The
 * session is reached through a MessagePort, so nothing needs the network.
 */
export function contentSecurityPolicy(devServerOrigin: string | undefined): string {
  const connect = ["'self'"];
  // Vite's dev server pushes module updates over a WebSocket on its own port.
  if (devServerOrigin) connect.push(devServerOrigin.replace(/^http/, 'ws'));
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Adds the policy to every response for an app page (the dev server's, and ours if it passes). */
export function installContentSecurityPolicy(
  session: Session,
  isAppUrl: (url: string) => boolean,
  policy: string,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
