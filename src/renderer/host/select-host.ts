import type { HostApi } from '../../shared/contract';
import { createBrowserHost } from './browser-host';
import { createElectronHost } from './electron-host';

/** The one HostApi of this window: Electron's preload bridge if present, else the served mode. */
export function selectHost(win: Window = window): HostApi {
  return win.perfws ? createElectronHost(win.perfws, win) : createBrowserHost(win.location);
}
