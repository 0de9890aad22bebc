import type { Session, WebContents } from 'electron';

/**
 * What no page of ours may do: navigate away, open windows, embed webviews. Installed on every
 * WebContents the app creates (`app.on('web-contents-created')`). The app has no external links;
 * if one is ever added, open it with `shell.openExternal` from the window-open handler.
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    // Subframes: the app has none, so any subframe navigation is foreign.
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Only permission granted: copying text to the clipboard, and only to the app's own pages. */
export function restrictPermissions(session: Session, isAppUrl: (url: string) => boolean): void {
  const allowed = (permission: string, url: string): boolean =>
    permission === 'clipboard-sanitized-write' && isAppUrl(url);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  );
}
