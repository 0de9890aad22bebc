import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IpcChannel,
  PROTOCOL_VERSION,
  SESSION_METHODS,
  type FoldedExportOptions,
  type HostCommand,
} from '../../../src/shared/contract';
import type { CallContext } from '../../../src/shared/rpc';
import type { Dialogs } from '../../../src/main/dialogs';
import { JsonFile } from '../../../src/main/json-file';
import { parsePreferences, PreferenceStore, type Theme } from '../../../src/main/preferences';
import { parseStoredRecent, RecentFiles, recentId } from '../../../src/main/recent-files';
import type { RecordingWindow as RecordingWindowType } from '../../../src/main/recording-window';
import type { WindowRegistry } from '../../../src/main/window-registry';
import { appPaths } from '../../../src/main/app-paths';
import { FakeBrowserWindow, forkConfig, forked, resetElectronFake, settle } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);
const { AppController } = await import('../../../src/main/app-controller');
const { RecordingWindow } = await import('../../../src/main/recording-window');
const { MergedExport, MERGED_EXPORT_METHOD, defaultMergedPath } =
  await import('../../../src/main/merged-export');
const { defaultFoldedPath } = await import('../../../src/main/folded-export');

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const RECORDING = join(FIXTURES, 'real/fp-recurse/perf.data');
const OTHER = join(FIXTURES, 'real/multi-event/perf.data');
const NOT_A_RECORDING = join(FIXTURES, 'real/kallsyms');
// Stands for the built modules: the fake fork never loads them.
const BUILT_MODULE = join(import.meta.dirname, 'electron-fake.ts');
const scratch = mkdtempSync(join(tmpdir(), 'perfws-controller-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** A session that loads anything instantly and exports two folded lines; also the exporter. */
function serveSessions(
  merged: { requests: unknown[]; result?: object; gate?: () => Promise<void> } = { requests: [] },
) {
  forkConfig.serve = () => ({
    methods: [...SESSION_METHODS, MERGED_EXPORT_METHOD],
    service: {
      hello: async () => ({ protocol: PROTOCOL_VERSION, pid: 1 }),
      open: async () => ({ threads: 2 }),
      exportFolded: async (_o: FoldedExportOptions, ctx: CallContext) => {
        ctx.emit('chunk', 'main;a 1\n');
        ctx.emit('chunk', 'main;b 2\n');
        return { lines: 2, bytes: 18 };
      },
      [MERGED_EXPORT_METHOD]: async (request: unknown, ctx: CallContext) => {
        merged.requests.push(request);
        ctx.emit('progress', { phase: 'exporting', done: 1, total: 2 });
        if (merged.gate) {
          await Promise.race([
            merged.gate(),
            new Promise((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
            ),
          ]);
        }
        return (
          merged.result ?? { merged: 10, leftUnmerged: 1, droppedRecords: 4, bytesWritten: 999 }
        );
      },
    },
  });
  return merged;
}

function setup() {
  const windows: RecordingWindowType[] = [];
  let focused: RecordingWindowType | undefined;
  let changes = 0;
  const onChange = (): number => changes++;
  const registry = {
    create: () => {
      const w = new RecordingWindow(
        new FakeBrowserWindow() as unknown as BrowserWindow,
        BUILT_MODULE,
        onChange,
      );
      windows.push(w);
      focused = w;
      return w;
    },
    focused: () => focused,
    all: () => windows,
    forSender: () => undefined,
  } as unknown as WindowRegistry;

  const dialogState = {
    recording: undefined as string | undefined,
    destination: undefined as string | undefined,
    messages: [] as { kind: string; text: string; detail?: string }[],
    destinationRequests: [] as { title: string; defaultPath: string }[],
  };
  const dialogs: Dialogs = {
    chooseRecording: async () => dialogState.recording,
    chooseDestination: async (_p, request) => {
      dialogState.destinationRequests.push(request);
      return dialogState.destination;
    },
    showMessage: async (_p, message) => {
      dialogState.messages.push(message);
    },
  };
  const n = counter++;
  const recent = new RecentFiles(
    new JsonFile(join(scratch, `recent-${n}.json`), parseStoredRecent, () => []),
    { addRecentDocument: () => {}, clearRecentDocuments: () => {} },
  );
  const preferences = new PreferenceStore(
    new JsonFile(join(scratch, `prefs-${n}.json`), parsePreferences, () => ({ theme: 'system' })),
  );
  const themes: Theme[] = [];
  let quit = 0;
  let aboutPanel = 0;
  const mergedExport = new MergedExport(BUILT_MODULE, dialogs, onChange);
  const paths = appPaths('/app', false);
  const controller = new AppController({
    windows: registry,
    recent,
    preferences,
    dialogs,
    mergedExport,
    paths: { ...paths, sample: { recording: RECORDING, symfs: '/s/symfs', kallsyms: '/s/k' } },
    platform: 'linux',
    appName: 'perf workstation',
    developer: false,
    sampleAvailable: () => true,
    applyTheme: (t) => themes.push(t),
    showAboutPanel: () => aboutPanel++,
    quit: () => quit++,
    onChange,
  });
  return {
    controller,
    windows,
    focus: (w: RecordingWindowType | undefined) => (focused = w),
    dialogState,
    recent,
    preferences,
    themes,
    mergedExport,
    counts: () => ({ changes, quit, aboutPanel }),
  };
}

const fake = (w: RecordingWindowType): FakeBrowserWindow =>
  w.window as unknown as FakeBrowserWindow;
const commands = (w: RecordingWindowType): HostCommand[] =>
  fake(w).payloads(IpcChannel.command) as HostCommand[];

beforeEach(() => {
  resetElectronFake();
  serveSessions();
});

describe('opening recordings', () => {
  it('shows one empty window when launched without a recording', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [] });
    expect(windows).toHaveLength(1);
    expect(windows[0]?.host.currentState()).toEqual({ phase: 'empty' });
  });

  it('brings the window forward when launched again without a recording', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [] });
    fake(windows[0]!).focusedNow = false;
    await controller.openLaunch({ recordings: [] });
    expect(windows).toHaveLength(1);
    expect(fake(windows[0]!).focusedNow).toBe(true);
  });

  it('opens into the empty window, then a new window for the next recording', async () => {
    const { controller, windows, recent } = setup();
    await controller.openLaunch({ recordings: [] });
    await controller.open({ path: RECORDING, symbols: {} }, windows[0]);
    expect(windows).toHaveLength(1);
    expect(windows[0]?.host.currentState().phase).toBe('loaded');

    await controller.open({ path: OTHER, symbols: {} }, windows[0]);
    expect(windows).toHaveLength(2);
    expect(windows[1]?.host.recording()?.path).toBe(OTHER);
    expect(forked).toHaveLength(2);
    expect(recent.list().map((e) => e.where)).toEqual([
      join(FIXTURES, 'real/multi-event'),
      join(FIXTURES, 'real/fp-recurse'),
    ]);
  });

  it('opens each launch recording in its own window with its symbols', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({
      recordings: [
        { path: RECORDING, symbols: { symfs: '/s' } },
        { path: OTHER, symbols: { symfs: '/s' } },
      ],
    });
    expect(windows.map((w) => w.host.recording())).toEqual([
      { path: RECORDING, symbols: { symfs: '/s' } },
      { path: OTHER, symbols: { symfs: '/s' } },
    ]);
  });

  it('--compare NEW: the window compares NEW, loaded in a second session, with its recording', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({
      recordings: [{ path: RECORDING, symbols: { symfs: '/s' } }],
      compare: { path: OTHER, symbols: { symfs: '/s' } },
    });
    expect(windows).toHaveLength(1);
    expect(forked).toHaveLength(2);
    expect(windows[0]?.comparison()).toEqual({
      name: 'perf.data',
      role: 'new',
      phase: 'loaded',
    });
    expect(windows[0]?.host.recording()?.path).toBe(RECORDING);
    // File → Compare With…: the chosen recording is the baseline
    await windows[0]!.compareWith({ path: OTHER, symbols: {} });
    expect(windows[0]?.comparison()?.role).toBe('baseline');
    expect(forked).toHaveLength(3);
  });

  it('shows a refused recording in a message box on a window that holds another', async () => {
    const { controller, windows, dialogState } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    await controller.open({ path: NOT_A_RECORDING, symbols: {} }, windows[0]);
    expect(windows).toHaveLength(1);
    expect(dialogState.messages).toMatchObject([
      { kind: 'error', text: expect.stringContaining('not a perf.data file') },
    ]);
  });

  it('shows a refused launch recording as the failed state of its window', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [{ path: NOT_A_RECORDING, symbols: {} }] });
    expect(windows).toHaveLength(1);
    expect(windows[0]?.host.currentState()).toMatchObject({
      phase: 'failed',
      error: { kind: 'bad-recording' },
    });
    expect(forked).toHaveLength(0);
  });

  it('opens what the dialog returns, and nothing when it is cancelled', async () => {
    const { controller, windows, dialogState } = setup();
    await controller.openLaunch({ recordings: [] });
    await controller.openRecording(windows[0]!);
    expect(forked).toHaveLength(0);
    dialogState.recording = RECORDING;
    await controller.openRecording(windows[0]!);
    expect(windows[0]?.host.recording()).toEqual({ path: RECORDING, symbols: {} });
  });

  it('opens a dropped file and a recent entry by id', async () => {
    const { controller, windows, recent } = setup();
    await controller.openLaunch({ recordings: [] });
    await controller.openDropped(windows[0]!, OTHER);
    expect(windows[0]?.host.recording()?.path).toBe(OTHER);

    recent.add({ path: RECORDING, symbols: { kallsyms: '/k' } });
    await controller.openRecent(windows[0]!, recentId(RECORDING));
    expect(windows[1]?.host.recording()).toEqual({ path: RECORDING, symbols: { kallsyms: '/k' } });
    expect(() => controller.openRecent(windows[0]!, 'ffffffffffffffff')).toThrow(/no longer/);
  });

  it('forgets a recent recording that no longer exists', async () => {
    const { controller, recent } = setup();
    const gone = join(scratch, 'gone.data');
    recent.add({ path: gone, symbols: {} });
    await controller.openRecent(undefined, recentId(gone));
    expect(recent.list()).toEqual([]);
  });
});

describe('folded stacks export', () => {
  it('writes the session’s chunks to the file the user chose, with the page’s options', async () => {
    const { controller, windows, dialogState } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    dialogState.destination = join(scratch, `out-${counter}.folded`);
    await expect(controller.exportFolded(windows[0]!, { filters: {} })).resolves.toEqual({
      saved: true,
      where: dialogState.destination,
      lines: 2,
    });
    expect(readFileSync(dialogState.destination, 'utf8')).toBe('main;a 1\nmain;b 2\n');
    expect(dialogState.destinationRequests[0]?.defaultPath).toBe(
      join(FIXTURES, 'real/fp-recurse/perf.folded'),
    );
    expect(readdirSync(scratch).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('saves nothing when the dialog is cancelled, and needs a loaded recording', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [] });
    await expect(controller.exportFolded(windows[0]!, { filters: {} })).rejects.toThrow(
      /no recording/,
    );
    await controller.open({ path: RECORDING, symbols: {} }, windows[0]);
    await expect(controller.exportFolded(windows[0]!, { filters: {} })).resolves.toEqual({
      saved: false,
    });
  });

  it('names the file after the recording', () => {
    expect(defaultFoldedPath('/r/perf.data')).toBe('/r/perf.folded');
    expect(defaultFoldedPath('/r/run')).toBe('/r/run.folded');
  });
});

describe('merged perf.data export', () => {
  it('runs in its own utility process on the window’s recording, to the chosen file', async () => {
    const merged = serveSessions({ requests: [] });
    const { controller, windows, dialogState } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    dialogState.destination = join(scratch, 'merged.data');
    controller.menuActions().exportMerged();
    await vi.waitFor(() => expect(dialogState.messages).toHaveLength(1));
    expect(merged.requests).toEqual([{ input: RECORDING, output: dialogState.destination }]);
    expect(forked.at(-1)?.options?.serviceName).toBe('perf workstation merged export');
    expect(forked.at(-1)?.killed).toBe(true);
    expect(dialogState.messages[0]).toMatchObject({
      kind: 'info',
      text: `Saved ${dialogState.destination}`,
      detail: expect.stringContaining('10 samples merged'),
    });
    expect(fake(windows[0]!).progress).toContain(0.5);
    expect(fake(windows[0]!).progress.at(-1)).toBe(-1);
  });

  it('refuses to overwrite the recording it reads', async () => {
    const merged = serveSessions({ requests: [] });
    const { controller, windows, dialogState, mergedExport } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    dialogState.destination = RECORDING;
    await mergedExport.start(windows[0]!);
    expect(merged.requests).toEqual([]);
    expect(dialogState.messages[0]).toMatchObject({ kind: 'error' });
  });

  it('shows the menu item as Cancel while it runs, and cancels quietly', async () => {
    serveSessions({ requests: [], gate: () => new Promise(() => {}) });
    const { controller, dialogState, mergedExport } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    dialogState.destination = join(scratch, 'merged2.data');
    expect(controller.menuModel().mergedExportRunning).toBe(false);
    controller.menuActions().exportMerged();
    await vi.waitFor(() => expect(mergedExport.isRunning()).toBe(true));
    expect(controller.menuModel().mergedExportRunning).toBe(true);
    controller.menuActions().cancelMergedExport();
    await vi.waitFor(() => expect(mergedExport.isRunning()).toBe(false));
    expect(dialogState.messages).toEqual([]);
    expect(forked.at(-1)?.killed).toBe(true);
  });

  it('reports a failed export in a message box', async () => {
    serveSessions({ requests: [], gate: () => Promise.reject(new Error('disk full')) });
    const { controller, dialogState } = setup();
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    dialogState.destination = join(scratch, 'merged3.data');
    controller.menuActions().exportMerged();
    await vi.waitFor(() => expect(dialogState.messages).toHaveLength(1));
    expect(dialogState.messages[0]).toMatchObject({ kind: 'error', detail: 'disk full' });
  });

  it('names the file after the recording', () => {
    expect(defaultMergedPath('/r/perf.data')).toBe('/r/perf.merged.data');
    expect(defaultMergedPath('/r/threads')).toBe('/r/threads.merged.data');
  });
});

describe('menu actions', () => {
  it('send view commands to the focused window and keep its checkboxes', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [] });
    const actions = controller.menuActions();
    actions.toggleMerge();
    actions.toggleKernel();
    actions.zoom('out');
    actions.exportFolded();
    actions.about();
    expect(commands(windows[0]!)).toEqual([
      { type: 'toggle-merge' },
      { type: 'toggle-kernel' },
      { type: 'zoom', direction: 'out' },
      { type: 'export-folded' },
      { type: 'about' },
    ]);
    expect(controller.menuModel()).toMatchObject({ merge: false, kernel: false, hasWindow: true });
  });

  it('set the theme for the app and every window, and remember it', async () => {
    const { controller, windows, themes, preferences } = setup();
    await controller.openLaunch({ recordings: [] });
    controller.menuActions().setTheme('dark');
    expect(themes).toEqual(['dark']);
    expect(preferences.get().theme).toBe('dark');
    expect(commands(windows[0]!)).toEqual([{ type: 'theme', theme: 'dark' }]);
    expect(controller.menuModel().theme).toBe('dark');
  });

  it('enable the exports only for a focused window with a loaded recording', async () => {
    const { controller, focus } = setup();
    expect(controller.menuModel()).toMatchObject({ hasWindow: false, canExport: false });
    await controller.open({ path: RECORDING, symbols: {} }, undefined);
    expect(controller.menuModel()).toMatchObject({ hasWindow: true, canExport: true });
    focus(undefined);
    expect(controller.menuModel().canExport).toBe(false);
  });

  it('open the sample with its symbols, show shortcuts, the about panel without a window, quit', async () => {
    const { controller, windows, dialogState, counts } = setup();
    const actions = controller.menuActions();
    actions.about();
    expect(counts().aboutPanel).toBe(1);
    actions.openSample();
    await vi.waitFor(() => expect(windows[0]?.host.currentState().phase).toBe('loaded'));
    expect(windows[0]?.host.recording()?.symbols).toEqual({ symfs: '/s/symfs', kallsyms: '/s/k' });
    actions.keyboardShortcuts();
    await settle();
    expect(dialogState.messages.at(-1)?.detail).toContain('Ctrl+O\tOpen Recording…');
    actions.quit();
    expect(counts().quit).toBe(1);
  });

  it('close the focused window', async () => {
    const { controller, windows } = setup();
    await controller.openLaunch({ recordings: [] });
    controller.menuActions().closeWindow();
    expect(fake(windows[0]!).destroyed).toBe(true);
    expect(existsSync(scratch)).toBe(true);
  });
});
