import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IpcChannel,
  PROTOCOL_VERSION,
  SESSION_METHODS,
  type RecordingState,
} from '../../../src/shared/contract';
import { FakeBrowserWindow, forkConfig, forked, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);
const { RecordingWindow, taskbarProgress, windowTitle } =
  await import('../../../src/main/recording-window');

const RECORDING = join(import.meta.dirname, '../../fixtures/real/fp-recurse/perf.data');
const SESSION_MODULE = join(import.meta.dirname, 'electron-fake.ts');

beforeEach(() => {
  resetElectronFake();
  forkConfig.serve = () => ({
    methods: SESSION_METHODS,
    service: {
      hello: async () => ({ protocol: PROTOCOL_VERSION, pid: 1 }),
      open: async () => ({ threads: 1 }),
    },
  });
});

function recordingWindow() {
  const window = new FakeBrowserWindow();
  let changes = 0;
  const w = new RecordingWindow(
    window as unknown as BrowserWindow,
    SESSION_MODULE,
    () => changes++,
  );
  return { w, window, changes: () => changes };
}

describe('RecordingWindow', () => {
  it('sends every state to the page, the title bar and the taskbar', async () => {
    const { w, window, changes } = recordingWindow();
    await w.host.open({ path: RECORDING, symbols: {} });
    expect(
      window.payloads(IpcChannel.stateChanged).map((s) => (s as RecordingState).phase),
    ).toEqual(['loading', 'loaded']);
    expect(window.title).toBe('perf.data — perf workstation');
    expect(window.progress).toEqual([2, -1]);
    expect(changes()).toBe(2);
  });

  it('transfers a session port to the page on request', async () => {
    const { w, window } = recordingWindow();
    expect(() => w.sendSessionPort()).toThrow(/no session/);
    await w.host.open({ path: RECORDING, symbols: {} });
    w.sendSessionPort();
    const sent = window.sent.filter((s) => s.channel === IpcChannel.sessionPort);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toBeNull();
    expect(sent[0]?.transfer).toHaveLength(1);
  });

  it('sends menu commands on the command channel', () => {
    const { w, window } = recordingWindow();
    w.sendCommand({ type: 'zoom', direction: 'in' });
    expect(window.payloads(IpcChannel.command)).toEqual([{ type: 'zoom', direction: 'in' }]);
  });

  it('ends its session when the window closes', async () => {
    const { w, window } = recordingWindow();
    await w.host.open({ path: RECORDING, symbols: {} });
    window.close();
    expect(forked[0]?.killed).toBe(true);
    w.sendCommand({ type: 'about' });
    expect(window.payloads(IpcChannel.command)).toEqual([]);
  });

  it('resets the view checkboxes when the page reloads', () => {
    const { w, window } = recordingWindow();
    w.view = { merge: false, kernel: false };
    window.webContents.emit('did-finish-load');
    expect(w.view).toEqual({ merge: true, kernel: true });
  });

  it('can be replaced while it holds nothing worth keeping', async () => {
    const { w } = recordingWindow();
    expect(w.isReplaceable()).toBe(true);
    await w.host.open({ path: RECORDING, symbols: {} });
    expect(w.isReplaceable()).toBe(false);
  });
});

describe('taskbarProgress and windowTitle', () => {
  it('show the load fraction, indeterminate without a total, nothing otherwise', () => {
    const loading = (done: number, total: number | undefined): RecordingState => ({
      phase: 'loading',
      name: 'x',
      progress: { phase: 'reading', done, total },
    });
    expect(taskbarProgress(loading(25, 100))).toBe(0.25);
    expect(taskbarProgress(loading(25, undefined))).toBe(2);
    expect(taskbarProgress({ phase: 'loading', name: 'x', progress: undefined })).toBe(2);
    expect(taskbarProgress({ phase: 'empty' })).toBe(-1);
    expect(
      taskbarProgress({ phase: 'failed', name: 'x', error: { kind: 'file', message: 'm' } }),
    ).toBe(-1);
  });

  it('name the recording and what happened to it', () => {
    expect(windowTitle({ phase: 'empty' })).toBe('perf workstation');
    expect(windowTitle({ phase: 'crashed', name: 'a.data', message: 'm' })).toBe(
      'a.data (session stopped) — perf workstation',
    );
  });
});
