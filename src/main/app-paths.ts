import { join, sep } from 'node:path';

/**
 * Where the app's parts are, from the app's root (`app.getAppPath()`: the checkout when run as
 * `electron .`, `resources/app.asar` when packaged). The build puts them at fixed places:
 * electron.vite.config.ts writes out/main, out/preload, out/renderer; vite.node.config.ts writes
 * the session (and the merged-export job) to out/node.
 */
export interface AppPaths {
  preload: string;
  rendererDir: string;
  sessionModule: string;
  mergedExportModule: string;
  windowIcon: string;
  sample: { recording: string; symfs: string; kallsyms: string };
}

export function appPaths(appRoot: string, packaged: boolean): AppPaths {
  const inApp = (...parts: string[]): string => join(appRoot, ...parts);
  // The sample is read with plain file descriptors by the session: electron-builder unpacks it
  // (asarUnpack), so point at the unpacked copy rather than rely on asar's fs emulation.
  const unpacked = (path: string): string =>
    packaged ? path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`) : path;
  return {
    preload: inApp('out', 'preload', 'index.cjs'),
    rendererDir: inApp('out', 'renderer'),
    sessionModule: inApp('out', 'node', 'session.js'),
    mergedExportModule: inApp('out', 'node', 'merged-export.js'),
    windowIcon: inApp('resources', 'icon.png'),
    sample: {
      recording: unpacked(inApp('resources', 'sample', 'perf.data')),
      symfs: unpacked(inApp('resources', 'sample', 'symfs')),
      kallsyms: unpacked(inApp('resources', 'sample', 'kallsyms')),
    },
  };
}
