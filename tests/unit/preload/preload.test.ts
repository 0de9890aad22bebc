import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcChannel, type HostCommand, type RecordingState } from '../../../src/shared/contract';

/** The sandboxed preload's view of electron: what it exposes, invokes and listens to. */
const bridge = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const state = {
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
    listeners: new Map<string, Listener[]>(),
    paths: new Map<object, string>(),
  };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      state.invoked.push([channel, ...args]);
      return channel === 'perfws:state' ? { phase: 'empty' } : undefined;
    },
    on: (channel: string, listener: Listener) => {
      state.listeners.set(channel, [...(state.listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      state.listeners.set(
        channel,
        (state.listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
      return ipcRenderer;
    },
  };
  const emit = (channel: string, event: object, ...args: unknown[]): void => {
    for (const l of state.listeners.get(channel) ?? []) l(event, ...args);
  };
  return {
    state,
    emit,
    module: {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api),
      },
      ipcRenderer,
      webUtils: { getPathForFile: (file: object) => state.paths.get(file) ?? '' },
    },
  };
});

vi.mock('electron', () => bridge.module);

const posted: unknown[][] = [];
(globalThis as unknown as { postMessage: (...a: unknown[]) => void }).postMessage = (...args) =>
  posted.push(args);

await import('../../../src/preload/index');

type Exposed = Record<string, (...args: unknown[]) => unknown> & { kind: string };
const api = bridge.state.exposed.get('perfws') as Exposed;

beforeEach(() => {
  bridge.state.invoked.length = 0;
  posted.length = 0;
});

describe('preload bridge', () => {
  it('exposes window.perfws only, with named functions and nothing generic', () => {
    expect([...bridge.state.exposed.keys()]).toEqual(['perfws']);
    expect(Object.keys(api).sort()).toEqual(
      [
        'cancelLoad',
        'comparison',
        'exportFolded',
        'kind',
        'onCommand',
        'onState',
        'openDropped',
        'openRecent',
        'openRecording',
        'recent',
        'reopen',
        'requestComparisonPort',
        'requestSessionPort',
        'saveViewState',
        'state',
        'viewState',
      ].sort(),
    );
    expect(api.kind).toBe('electron');
    const generic: unknown[] = [
      bridge.module.ipcRenderer,
      bridge.module.ipcRenderer.invoke,
      bridge.module.ipcRenderer.on,
    ];
    for (const value of Object.values(api)) expect(generic).not.toContain(value);
  });

  it('calls main on the app channels, with no path anywhere', async () => {
    await expect(api.state!()).resolves.toEqual({ phase: 'empty' });
    await api.openRecording!();
    await api.recent!();
    await api.openRecent!('0123456789abcdef');
    await api.cancelLoad!();
    await api.reopen!();
    await api.exportFolded!({ filters: {} });
    await api.viewState!();
    await api.saveViewState!({ tab: 'call-tree' });
    await api.requestSessionPort!();
    expect(bridge.state.invoked).toEqual([
      [IpcChannel.state],
      [IpcChannel.openRecording],
      [IpcChannel.recent],
      [IpcChannel.openRecent, '0123456789abcdef'],
      [IpcChannel.cancelLoad],
      [IpcChannel.reopen],
      [IpcChannel.exportFolded, { filters: {} }],
      [IpcChannel.viewState],
      [IpcChannel.saveViewState, { tab: 'call-tree' }],
      [IpcChannel.requestSessionPort],
    ]);
  });

  it('resolves a dropped file’s path itself, and refuses files not from disk', async () => {
    const dropped = { name: 'perf.data' };
    bridge.state.paths.set(dropped, '/home/me/perf.data');
    await api.openDropped!(dropped);
    expect(bridge.state.invoked).toEqual([[IpcChannel.openDropped, '/home/me/perf.data']]);
    await expect(api.openDropped!({ name: '/etc/passwd' })).rejects.toThrow(/dropped from disk/);
    expect(bridge.state.invoked).toHaveLength(1);
  });

  it('passes state changes and commands to the page without the IPC event, until unsubscribed', () => {
    const states: RecordingState[] = [];
    const commands: HostCommand[] = [];
    const stop = api.onState!((s: RecordingState) => states.push(s)) as () => void;
    api.onCommand!((c: HostCommand) => commands.push(c));
    const event = { sender: 'secret' };
    bridge.emit(IpcChannel.stateChanged, event, { phase: 'empty' });
    bridge.emit(IpcChannel.command, event, { type: 'about' });
    stop();
    bridge.emit(IpcChannel.stateChanged, event, { phase: 'empty' });
    expect(states).toEqual([{ phase: 'empty' }]);
    expect(commands).toEqual([{ type: 'about' }]);
  });

  it('forwards the session port to the page as a window message', () => {
    const port = { postMessage: () => {} };
    bridge.emit(IpcChannel.sessionPort, { ports: [port] });
    expect(posted).toEqual([[{ type: 'perfws:session-port' }, '*', [port]]]);
  });

  it("forwards the compared recording's port under its own message type", () => {
    const port = { postMessage: () => {} };
    bridge.emit(IpcChannel.comparisonPort, { ports: [port] });
    expect(posted.at(-1)).toEqual([{ type: 'perfws:comparison-port' }, '*', [port]]);
  });

  it('listens only on app channels', () => {
    for (const channel of bridge.state.listeners.keys()) expect(channel).toMatch(/^perfws:/);
  });
});
