import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, IpcChannel, type FoldedExportOptions } from '../../../src/shared/contract';
import { handleFromApp, isAppChannel } from '../../../src/main/ipc-guard';
import {
  foldedExportOptions,
  registerIpcHandlers,
  type HostBackend,
} from '../../../src/main/ipc-handlers';
import { rendererLocation } from '../../../src/main/renderer-location';

const APP_PAGE = 'perfws-app://renderer/index.html';
type Handler = (event: unknown, ...args: unknown[]) => unknown;
interface Win {
  name: string;
}

/** ipcMain.handle recorded; `invoke` calls a handler as a page of the given frame would. */
function wire() {
  const handlers = new Map<string, Handler>();
  const ipc = { handle: (channel: string, h: Handler) => handlers.set(channel, h) };
  const calls: unknown[][] = [];
  const record =
    (name: string, result: unknown = undefined) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result;
    };
  const backend: HostBackend<Win> = {
    state: record('state', { phase: 'empty' }) as HostBackend<Win>['state'],
    sendSessionPort: record('sendSessionPort') as HostBackend<Win>['sendSessionPort'],
    openRecording: record('openRecording') as HostBackend<Win>['openRecording'],
    openDropped: record('openDropped') as HostBackend<Win>['openDropped'],
    recent: record('recent', []) as HostBackend<Win>['recent'],
    openRecent: record('openRecent') as HostBackend<Win>['openRecent'],
    cancelLoad: record('cancelLoad') as HostBackend<Win>['cancelLoad'],
    reopen: record('reopen') as HostBackend<Win>['reopen'],
    exportFolded: record('exportFolded', { saved: false }) as HostBackend<Win>['exportFolded'],
    viewState: record('viewState', { tab: 'call-tree' }) as HostBackend<Win>['viewState'],
    saveViewState: record('saveViewState') as HostBackend<Win>['saveViewState'],
    comparison: record('comparison', {
      name: 'old.data',
      role: 'baseline',
      phase: 'loaded',
    }) as HostBackend<Win>['comparison'],
    sendComparisonPort: record('sendComparisonPort') as HostBackend<Win>['sendComparisonPort'],
  };
  const appWindow: Win = { name: 'window 1' };
  const appContents = { id: 1 } as WebContents;
  registerIpcHandlers(
    ipc as unknown as IpcMain,
    {
      windowFor: (c) => (c === appContents ? appWindow : undefined),
      isAppUrl: rendererLocation(undefined).isAppUrl,
    },
    backend,
  );
  const invoke = async (
    channel: string,
    args: unknown[] = [],
    from: { url?: string; parent?: object | null; sender?: WebContents; gone?: boolean } = {},
  ): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const senderFrame = from.gone
      ? null
      : { url: from.url ?? APP_PAGE, parent: from.parent ?? null };
    return handler({ senderFrame, sender: from.sender ?? appContents }, ...args);
  };
  return { handlers, calls, invoke, appWindow };
}

describe('IPC wiring', () => {
  it('handles exactly the renderer → main channels of HostApi', () => {
    const { handlers } = wire();
    const toRenderer: string[] = [
      IpcChannel.stateChanged,
      IpcChannel.sessionPort,
      IpcChannel.comparisonPort,
      IpcChannel.command,
    ];
    expect([...handlers.keys()].sort()).toEqual(
      IPC_CHANNELS.filter((c) => !toRenderer.includes(c)).sort(),
    );
  });

  it('answers the app page in its window', async () => {
    const { invoke, calls, appWindow } = wire();
    await expect(invoke(IpcChannel.state)).resolves.toEqual({ phase: 'empty' });
    await invoke(IpcChannel.requestSessionPort);
    await invoke(IpcChannel.cancelLoad);
    await invoke(IpcChannel.reopen);
    await expect(invoke(IpcChannel.comparison)).resolves.toEqual({
      name: 'old.data',
      role: 'baseline',
      phase: 'loaded',
    });
    await invoke(IpcChannel.requestComparisonPort);
    expect(calls).toEqual([
      ['state', appWindow],
      ['sendSessionPort', appWindow],
      ['cancelLoad', appWindow],
      ['reopen', appWindow],
      ['comparison', appWindow],
      ['sendComparisonPort', appWindow],
    ]);
  });

  it('keeps only the checked fields of a view state, and refuses a huge one', async () => {
    const { invoke, calls, appWindow } = wire();
    await expect(invoke(IpcChannel.viewState)).resolves.toEqual({ tab: 'call-tree' });
    await invoke(IpcChannel.saveViewState, [
      { tab: 'call-tree', event: -1, path: '/etc/passwd', transforms: [{ kind: 'x' }] },
    ]);
    await expect(
      invoke(IpcChannel.saveViewState, [{ search: 'x'.repeat(70_000) }]),
    ).rejects.toThrow(/too large/);
    expect(calls).toEqual([
      ['viewState', appWindow],
      ['saveViewState', appWindow, { tab: 'call-tree' }],
    ]);
  });

  it('refuses foreign pages, subframes, vanished frames and unknown windows', async () => {
    const { invoke, calls } = wire();
    await expect(
      invoke(IpcChannel.openRecording, [], { url: 'https://evil.example/' }),
    ).rejects.toThrow(/refused: a foreign page/);
    await expect(
      invoke(IpcChannel.openRecording, [], { url: 'file:///home/me/evil.html' }),
    ).rejects.toThrow(/refused/);
    await expect(invoke(IpcChannel.state, [], { parent: { url: APP_PAGE } })).rejects.toThrow(
      /refused: a subframe/,
    );
    await expect(invoke(IpcChannel.state, [], { gone: true })).rejects.toThrow(/refused/);
    await expect(
      invoke(IpcChannel.state, [], { sender: { id: 99 } as WebContents }),
    ).rejects.toThrow(/not an app window/);
    expect(calls).toEqual([]);
  });

  it('refuses to handle a channel that is not the app’s', () => {
    const ipc = { handle: () => {} } as unknown as IpcMain;
    const check = { windowFor: () => ({}), isAppUrl: () => true };
    expect(() => handleFromApp(ipc, 'evil:channel' as IpcChannel, check, () => undefined)).toThrow(
      /not an app IPC channel/,
    );
    expect(() =>
      handleFromApp(ipc, 'perfws:not-in-contract' as IpcChannel, check, () => undefined),
    ).toThrow(/not an app IPC channel/);
    expect(isAppChannel(IpcChannel.state)).toBe(true);
    expect(isAppChannel('perfws:read-file')).toBe(false);
  });

  it('opens only through the dialog: a renderer-supplied path is ignored', async () => {
    const { invoke, calls, appWindow } = wire();
    await invoke(IpcChannel.openRecording, ['/etc/shadow']);
    expect(calls).toEqual([['openRecording', appWindow]]);
  });

  it('opens a recent recording by id only, never by path', async () => {
    const { invoke, calls, appWindow } = wire();
    await expect(invoke(IpcChannel.openRecent, ['/etc/shadow'])).rejects.toThrow(/recent-entry id/);
    await expect(invoke(IpcChannel.openRecent, [{ path: '/etc/shadow' }])).rejects.toThrow();
    await invoke(IpcChannel.openRecent, ['0123456789abcdef']);
    expect(calls).toEqual([['openRecent', appWindow, '0123456789abcdef']]);
  });

  it('accepts a dropped file only as an absolute path', async () => {
    const { invoke, calls } = wire();
    await expect(invoke(IpcChannel.openDropped, ['perf.data'])).rejects.toThrow(/absolute path/);
    await expect(invoke(IpcChannel.openDropped, [42])).rejects.toThrow();
    await expect(invoke(IpcChannel.openDropped, ['/a\0b'])).rejects.toThrow();
    await invoke(IpcChannel.openDropped, ['/home/me/perf.data']);
    expect(calls.map((c) => c.slice(2))).toEqual([['/home/me/perf.data']]);
  });

  it('exports where the user chooses: destination fields from the page never reach main', async () => {
    const { invoke, calls } = wire();
    await invoke(IpcChannel.exportFolded, [
      {
        filters: { event: 0 },
        pid: true,
        weight: 'samples',
        path: '/home/me/.bashrc',
        destination: '/etc/passwd',
      },
      '/tmp/also-ignored',
    ]);
    expect(calls).toEqual([
      [
        'exportFolded',
        { name: 'window 1' },
        { filters: { event: 0 }, pid: true, weight: 'samples' },
      ],
    ]);
  });
});

describe('foldedExportOptions', () => {
  it('keeps the known fields, checks their types', () => {
    const full: FoldedExportOptions = {
      filters: { merge: false, frames: 'user' },
      pid: true,
      tid: false,
      kernelAnnotate: true,
      addresses: false,
      allEvents: true,
      weight: 'period',
      format: 'pprof',
    };
    expect(foldedExportOptions(full)).toEqual(full);
    expect(() => foldedExportOptions({ filters: {}, format: 'svg' })).toThrow(/format/);
    expect(() => foldedExportOptions({})).toThrow(/filters/);
    expect(() => foldedExportOptions({ filters: [] })).toThrow(/filters/);
    expect(() => foldedExportOptions({ filters: {}, pid: 'yes' })).toThrow(/pid/);
    expect(() => foldedExportOptions({ filters: {}, weight: 'bytes' })).toThrow(/weight/);
    expect(() => foldedExportOptions('options')).toThrow();
  });
});
