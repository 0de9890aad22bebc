/**
 * Where the renderer is loaded from, and how main recognises its frames. Built pages are served
 * from a privileged custom scheme (`perfws-app://renderer/...`) instead of `file://`: the page
 * gets a real origin of its own, cannot read other files, and the protocol handler sets the
 * Content-Security-Policy header itself. `electron-vite dev` serves the page over http instead
 * (ELECTRON_RENDERER_URL), honoured only in an unpackaged app.
 */
export const APP_SCHEME = 'perfws-app';
export const APP_HOST = 'renderer';

export interface RendererLocation {
  /** What the window loads. */
  entryUrl: string;
  /** The dev server's origin, when there is one. */
  devServerOrigin: string | undefined;
  /** True for URLs of the app's own pages (IPC senders, CSP, permissions). */
  isAppUrl(url: string): boolean;
}

export function rendererLocation(devServerUrl: string | undefined): RendererLocation {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return {
      entryUrl: devServerUrl,
      devServerOrigin: origin,
      isAppUrl: (url) => parse(url)?.origin === origin,
    };
  }
  return {
    entryUrl: `${APP_SCHEME}://${APP_HOST}/index.html`,
    devServerOrigin: undefined,
    // Node's URL reports the origin of a non-http scheme as "null": compare scheme and host.
    isAppUrl: (url) => {
      const u = parse(url);
      return u?.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
    },
  };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
