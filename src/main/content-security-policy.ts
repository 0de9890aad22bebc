import type { Session } from 'electron';
import { rendererContentSecurityPolicy } from '../shared/policy/content-security-policy';

/**
 * The app pages' Content-Security-Policy, sent as a header (index.html carries the same one in a
 * <meta>): the renderer's one policy, from src/shared/policy, plus the dev server's socket.
 */
export function contentSecurityPolicy(devServerOrigin: string | undefined): string {
  return rendererContentSecurityPolicy(devServerOrigin);
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
