import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * A recording window. The page is untrusted as far as main is concerned: no Node, an isolated
 * preload world, Chromium's sandbox, same-origin policy on, no webviews, no navigation by drop.
 */
export function recordingWindowOptions(
  preload: string,
  icon: string,
): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'perf workstation',
    icon,
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}
