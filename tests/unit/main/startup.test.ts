import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  IPC_CHANNELS,
  IpcChannel,
  SESSION_METHODS,
  PROTOCOL_VERSION,
} from '../../../src/shared/contract';
import type { FakeBrowserWindow } from './electron-fake';
import { forkConfig, forked, menuState } from './electron-fake';

/**
 * The entry (src/main/index.ts) against a stand-in electron: what a real start does in order,
 * short of drawing windows.
 */
const RECORDING = join(import.meta.dirname, '../../fixtures/real/fp-recurse/perf.data');

/**
 * The app's root: a stand-in with the one build output main looks for before it forks the
 * session (which the fake electron serves in process), so the test does not depend on whether
 * `npm run build` ran in this checkout. (A missing session module is session-host.test.ts's.)
 */
const APP_ROOT = mkdtempSync(join(tmpdir(), 'perfws-app-'));
mkdirSync(join(APP_ROOT, 'out', 'node'), { recursive: true });
writeFileSync(
  join(APP_ROOT, 'out', 'node', 'session.js'),
  '// stand-in: the fake electron serves the session\n',
);

const electron = vi.hoisted(() => ({
  windows: [] as unknown[],
  windowOptions: [] as unknown[],
  loaded: [] as string[],
  handled: [] as string[],
  schemes: [] as unknown[],
  protocolHandlers: [] as string[],
  lock: [] as unknown[],
  events: undefined as unknown,
  userData: '',
}));

vi.mock('electron', async () => {
  const base = (await import('./electron-fake')).electronModule;
  const { FakeBrowserWindow: Window } = await import('./electron-fake');
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: (data: unknown) => (electron.lock.push(data), true),
    whenReady: () => Promise.resolve(),
    getAppPath: () => APP_ROOT,
    getPath: () => electron.userData,
    getVersion: () => '0.1.0',
    setAboutPanelOptions: () => {},
    showAboutPanel: () => {},
    addRecentDocument: () => {},
    clearRecentDocuments: () => {},
    quit: () => {},
    exit: () => {},
  });
  electron.events = app;
  class BrowserWindow extends Window {
    constructor(options: unknown) {
      super();
      electron.windowOptions.push(options);
      electron.windows.push(this);
    }
    loadURL(url: string): Promise<void> {
      electron.loaded.push(url);
      return Promise.resolve();
    }
    show(): void {}
    static getFocusedWindow(): unknown {
      return electron.windows.at(-1);
    }
  }
  return {
    ...base,
    app,
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => electron.schemes.push(...s),
      handle: (scheme: string) => electron.protocolHandlers.push(scheme),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => {} },
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
      },
    },
    ipcMain: { handle: (channel: string) => electron.handled.push(channel) },
    nativeTheme: { themeSource: 'system' },
    dialog: { showErrorBox: () => {} },
  };
});

const savedArgv = process.argv;
afterAll(() => {
  process.argv = savedArgv;
  delete (process as { defaultApp?: boolean }).defaultApp;
});

describe('the main entry', () => {
  it('starts: scheme, lock with the hand-off, IPC, menu, and a window on the recording', async () => {
    electron.userData = mkdtempSync(join(tmpdir(), 'perfws-userdata-'));
    forkConfig.serve = () => ({
      methods: SESSION_METHODS,
      service: {
        hello: async () => ({ protocol: PROTOCOL_VERSION, pid: 1 }),
        open: async () => ({ threads: 1 }),
      },
    });
    process.argv = ['/usr/bin/electron', '--no-sandbox', APP_ROOT, RECORDING, '--symfs=/s'];
    (process as { defaultApp?: boolean }).defaultApp = true;

    await import('../../../src/main/index');

    expect(electron.schemes).toMatchObject([{ scheme: 'perfws-app' }]);
    expect(electron.lock).toEqual([
      { perfws: 1, recordings: [{ path: RECORDING, symbols: { symfs: '/s' } }] },
    ]);
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect(electron.protocolHandlers).toEqual(['perfws-app']);
    expect(electron.loaded).toEqual(['perfws-app://renderer/index.html']);
    expect(electron.windowOptions[0]).toMatchObject({
      webPreferences: {
        preload: join(APP_ROOT, 'out/preload/index.cjs'),
        sandbox: true,
        contextIsolation: true,
      },
    });
    const toRenderer: string[] = [
      IpcChannel.stateChanged,
      IpcChannel.sessionPort,
      IpcChannel.comparisonPort,
      IpcChannel.command,
    ];
    expect(electron.handled.sort()).toEqual(
      IPC_CHANNELS.filter((c) => !toRenderer.includes(c)).sort(),
    );
    expect(menuState.template).toBeDefined();

    // The session module is forked from the app's build output (served in process by the fake).
    const window = electron.windows[0] as FakeBrowserWindow;
    await vi.waitFor(() =>
      expect(window.payloads(IpcChannel.stateChanged).at(-1)).toMatchObject({ phase: 'loaded' }),
    );
    expect(forked[0]?.modulePath).toBe(join(APP_ROOT, 'out/node/session.js'));

    // A second instance's recording opens in a new window (this one holds a recording).
    (electron.events as EventEmitter).emit('second-instance', {}, [], '/', {
      perfws: 1,
      recordings: [{ path: RECORDING, symbols: {} }],
    });
    await vi.waitFor(() => expect(electron.windows).toHaveLength(2));
  });
});
