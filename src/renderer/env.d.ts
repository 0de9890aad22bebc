/// <reference types="vite/client" />
import type { ElectronBridge } from './host/electron-host';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    perfws?: ElectronBridge;
  }
}
