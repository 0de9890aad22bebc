import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../src/shared/contract';
import { createElectronHost, type ElectronBridge } from '../../src/renderer/host/electron-host';
import { foldedFileName } from '../../src/renderer/host/download';
import { viewStateFromUrl } from '../../src/renderer/host/browser-host';
import { viewStateText, type ViewState } from '../../src/shared/view-state/view-state';

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
    viewState: async () => undefined,
    saveViewState: async () => {},
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

  it("takes the compared recording's port from its own message type (File → Compare With…)", async () => {
    const channel = new MessageChannel();
    const b = bridge(() => {});
    b.comparison = async () => ({ name: 'old.data', role: 'baseline', phase: 'loaded' });
    b.requestComparisonPort = async () => {
      // the session's port type is not the comparison's
      postPort(new MessageChannel().port1, 'perfws:session-port');
      postPort(channel.port2, 'perfws:comparison-port');
    };
    const host = createElectronHost(b, window);
    expect(await host.comparison?.()).toEqual({
      name: 'old.data',
      role: 'baseline',
      phase: 'loaded',
    });
    const port = await host.connectComparison!();
    const received = new Promise((resolve) => port.onMessage(resolve));
    channel.port1.postMessage('hello');
    expect(await received).toBe('hello');
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
    expect(foldedFileName('perf.data', 'pprof')).toBe('perf.data.pb.gz');
    expect(foldedFileName('perf.data', 'speedscope')).toBe('perf.data.speedscope.json');
  });
});

describe('the view state in a served URL', () => {
  const url = (state: unknown) => `#view=${encodeURIComponent(JSON.stringify(state))}`;

  it('reads back what was written', () => {
    const state: ViewState = {
      tab: 'call-tree',
      selection: { start: 1e6, end: 2e6 },
      transforms: [{ kind: 'focus-subtree', path: ['main', 'run'], inverted: true }],
      inverted: true,
      search: '^malloc$',
    };
    expect(viewStateFromUrl(`#view=${encodeURIComponent(viewStateText(state))}`)).toEqual(state);
  });

  it('is untrusted: wrong, huge or broken parts are left out, nothing throws', () => {
    expect(viewStateFromUrl('')).toEqual({});
    expect(viewStateFromUrl('#view=%7B')).toEqual({});
    expect(viewStateFromUrl(`#view=${'x'.repeat(70_000)}`)).toEqual({});
    expect(
      viewStateFromUrl(
        url({
          tab: 'x'.repeat(100),
          event: -1,
          thread: 1.5,
          selection: { start: 5, end: 1 },
          zoom: { start: 0, end: 'Infinity' },
          frames: 'both',
          transforms: [
            { kind: 'merge-function', name: 'a' },
            { kind: 'eval', name: 'b' },
          ],
          search: 'y'.repeat(2000),
          flameFocus: [1, -2],
          merge: false,
          __proto__: { polluted: true },
        }),
      ),
    ).toEqual({ merge: false });
    expect(
      viewStateFromUrl(url({ transforms: Array(40).fill({ kind: 'drop-function', name: 'a' }) })),
    ).toEqual({});
  });
});
