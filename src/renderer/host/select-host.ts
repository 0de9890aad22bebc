import type { HostApi } from '../../shared/contract';
import { createBrowserHost } from './browser-host';
import { createElectronHost } from './electron-host';
import { takeServedToken } from './served-token';

/** The one HostApi of this window: Electron's preload bridge if present, else the served mode. */
export function selectHost(win: Window = window): HostApi {
  if (win.perfws) return createElectronHost(win.perfws, win);
  return createBrowserHost(
    win.location,
    takeServedToken(win.location, win.history, win.sessionStorage),
  );
}
