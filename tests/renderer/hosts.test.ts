import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../src/shared/contract';
import { createElectronHost, type ElectronBridge } from '../../src/renderer/host/electron-host';
import { foldedFileName } from '../../src/renderer/host/download';

function bridge(
  onRequest: () => void,
): ElectronBridge & { states: ((s: RecordingState) => void)[] } {
  const states: ((s: RecordingState) => void)[] = [];
  return {
    states,
    requestSessionPort: async () => onRequest(),
    state: async () => ({ phase: 'empty' }),
    onState: (l) => {
      states.push(l);
      return () => {};
    },
    openRecording: async () => {},
    openDropped: async () => {},
    recent: async () => [],
    openRecent: async () => {},
    cancelLoad: async () => {},
    reopen: async () => {},
    exportFolded: async () => ({ saved: false }),
    onCommand: () => () => {},
  };
}

/** What the preload does with the port main sends: post it to the page's window. */
function postPort(port: MessagePort, type = 'perfws:session-port', source: unknown = window): void {
  window.dispatchEvent(
    new MessageEvent('message', { data: { type }, ports: [port], source: source as Window }),
  );
}

describe('the Electron host', () => {
  it('asks the preload for the session port and takes it from the window message', async () => {
    const channel = new MessageChannel();
    const host = createElectronHost(
      bridge(() => {
        // Messages of another type, or from elsewhere, are not the port.
        postPort(new MessageChannel().port1, 'something-else');
        postPort(new MessageChannel().port1, 'perfws:session-port', null);
        postPort(channel.port2);
      }),
      window,
    );
    expect(host.kind).toBe('electron');
    const port = await host.connectSession();
    const received = new Promise((resolve) => port.onMessage(resolve));
    channel.port1.postMessage({ kind: 'result', id: 1, ok: true, value: 42 });
    expect(await received).toEqual({ kind: 'result', id: 1, ok: true, value: 42 });
    channel.port1.close();
    port.close?.();
  });

  it('passes states through from the preload', async () => {
    const b = bridge(() => {});
    const host = createElectronHost(b, window);
    const seen: string[] = [];
    host.onState((s) => seen.push(s.phase));
    b.states[0]!({ phase: 'loading', name: 'perf.data', progress: undefined });
    expect(seen).toEqual(['loading']);
    expect(await host.state()).toEqual({ phase: 'empty' });
  });
});

describe('the browser host', () => {
  it('names downloads after the recording, never with a path', () => {
    expect(foldedFileName('perf.data')).toBe('perf.data.folded');
    expect(foldedFileName('../x/y')).toBe('.._x_y.folded');
    expect(foldedFileName('')).toBe('recording.folded');
  });
});
