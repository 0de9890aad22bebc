import {
  SessionError,
  type Comparison,
  type ExportResult,
  type FoldedExportOptions,
  type HostCommand,
  type RecentEntry,
  type RecordingState,
} from '../shared/contract';
import type { AppPaths } from './app-paths';
import type { ViewState } from '../shared/view-state/view-state';
import type { Dialogs } from './dialogs';
import { exportFoldedStacks } from './folded-export';
import type { HostBackend } from './ipc-handlers';
import type { LaunchRequest } from './launch-args';
import { menuTemplate, shortcutList, type MenuActions, type MenuModel } from './menu-template';
import type { MergedExport } from './merged-export';
import type { PreferenceStore, Theme } from './preferences';
import type { RecentFiles } from './recent-files';
import { checkRecording } from './recording-check';
import type { RecordingTarget } from './recording-target';
import { DEFAULT_VIEW, type RecordingWindow } from './recording-window';
import type { WindowRegistry } from './window-registry';

export interface AppControllerDeps {
  windows: WindowRegistry;
  recent: RecentFiles;
  preferences: PreferenceStore;
  dialogs: Dialogs;
  mergedExport: MergedExport;
  paths: AppPaths;
  platform: NodeJS.Platform;
  appName: string;
  developer: boolean;
  sampleAvailable(): boolean;
  applyTheme(theme: Theme): void;
  showAboutPanel(): void;
  quit(): void;
  /** Something the menu shows may have changed. */
  onChange(): void;
}

/**
 * What the app does, whoever asks: the menu (for the focused window), the renderer over IPC (for
 * its own window), the command line and second instances. Decides which window a recording
 * opens in: the asking window when it holds nothing worth keeping, else a new one.
 */
export class AppController implements HostBackend<RecordingWindow> {
  constructor(private readonly deps: AppControllerDeps) {}

  /** Recordings from the command line, a second instance or the OS; none: show a window. */
  async openLaunch(request: LaunchRequest): Promise<void> {
    const { windows } = this.deps;
    if (!request.recordings.length) {
      const existing = windows.all()[0];
      if (!existing) windows.create();
      else {
        if (existing.window.isMinimized()) existing.window.restore();
        existing.window.focus();
      }
      return;
    }
    for (const target of request.recordings) {
      const window = await this.open(target, undefined);
      // `perfws open BASE --compare NEW`: NEW against the (first) recording
      if (window && request.compare && target === request.recordings[0]) {
        await window.compareWith(request.compare, 'new');
      }
    }
  }

  /**
   * Checks the recording, then loads it in a window. A refused recording shows in the window it
   * was meant for, or, when that window holds another recording, in a message box on it.
   */
  async open(
    target: RecordingTarget,
    from: RecordingWindow | undefined,
  ): Promise<RecordingWindow | undefined> {
    const { windows, recent, dialogs } = this.deps;
    const check = await checkRecording(target.path);
    const into = this.replaceableWindow(from);
    if (!check.ok) {
      if (check.problem === 'missing') recent.remove(target.path);
      if (from && !into) {
        await dialogs.showMessage(from.window, {
          kind: 'error',
          title: 'Cannot open the recording',
          text: check.message,
        });
        return;
      }
      // The window's own check reports the same problem as its 'failed' state.
      const shown = into ?? windows.create();
      await shown.host.open(target);
      return shown;
    }
    const resolved = { ...target, path: check.path };
    recent.add(resolved);
    const window = into ?? windows.create();
    window.window.focus();
    await window.host.open(resolved);
    return window;
  }

  async openWithDialog(from: RecordingWindow | undefined): Promise<void> {
    const path = await this.deps.dialogs.chooseRecording(from?.window);
    if (path) await this.open({ path, symbols: {} }, from);
  }

  // HostBackend: the renderer's requests, each for its own window.

  state(window: RecordingWindow): RecordingState {
    return window.host.currentState();
  }

  sendSessionPort(window: RecordingWindow): void {
    window.sendSessionPort();
  }

  comparison(window: RecordingWindow): Comparison | undefined {
    return window.comparison();
  }

  sendComparisonPort(window: RecordingWindow): void {
    window.sendComparisonPort();
  }

  /** File → Compare With…: a recording to compare this window's with (its baseline). */
  async compareWithDialog(from: RecordingWindow | undefined): Promise<void> {
    if (!from) return;
    const path = await this.deps.dialogs.chooseRecording(from.window);
    if (path) await from.compareWith({ path, symbols: from.host.recording()?.symbols ?? {} });
  }

  openRecording(window: RecordingWindow): Promise<void> {
    return this.openWithDialog(window);
  }

  async openDropped(window: RecordingWindow, path: string): Promise<void> {
    await this.open({ path, symbols: {} }, window);
  }

  recent(): RecentEntry[] {
    return this.deps.recent.list();
  }

  openRecent(window: RecordingWindow | undefined, id: string): Promise<void> {
    const target = this.deps.recent.target(id);
    if (!target)
      throw new SessionError('bad-request', 'that recording is no longer in the recent list');
    return this.open(target, window).then(() => undefined);
  }

  cancelLoad(window: RecordingWindow): void {
    window.host.cancelLoad();
  }

  async reopen(window: RecordingWindow): Promise<void> {
    await window.host.reopen();
  }

  exportFolded(window: RecordingWindow, options: FoldedExportOptions): Promise<ExportResult> {
    return exportFoldedStacks(window, options, this.deps.dialogs);
  }

  viewState(window: RecordingWindow): ViewState | undefined {
    const path = window.host.recording()?.path;
    return path === undefined ? undefined : this.deps.preferences.view(path);
  }

  saveViewState(window: RecordingWindow, state: ViewState): void {
    const path = window.host.recording()?.path;
    if (path !== undefined) this.deps.preferences.saveView(path, state);
  }

  // The menu.

  menuModel(): MenuModel {
    const { windows, recent, mergedExport, preferences } = this.deps;
    const focused = windows.focused();
    const view = focused?.view ?? DEFAULT_VIEW;
    return {
      platform: this.deps.platform,
      appName: this.deps.appName,
      recent: recent.list(),
      hasWindow: focused !== undefined,
      canExport: focused?.host.currentState().phase === 'loaded',
      mergedExportRunning: mergedExport.isRunning(),
      merge: view.merge,
      kernel: view.kernel,
      theme: preferences.get().theme,
      sampleAvailable: this.deps.sampleAvailable(),
      developer: this.deps.developer,
    };
  }

  menuActions(): MenuActions {
    const focused = (): RecordingWindow | undefined => this.deps.windows.focused();
    const send = (command: HostCommand): void => focused()?.sendCommand(command);
    const toggle = (key: 'merge' | 'kernel', command: HostCommand): void => {
      const window = focused();
      if (!window) return;
      window.view = { ...window.view, [key]: !window.view[key] };
      window.sendCommand(command);
      this.deps.onChange();
    };
    const actions: MenuActions = {
      openRecording: () => this.background(this.openWithDialog(focused())),
      openRecent: (id) => this.background(this.openRecent(focused(), id)),
      clearRecent: () => this.deps.recent.clear(),
      compareWith: () => this.background(this.compareWithDialog(focused())),
      exportFolded: (format) =>
        send(format ? { type: 'export-folded', format } : { type: 'export-folded' }),
      exportMerged: () => {
        const window = focused();
        if (window) this.background(this.deps.mergedExport.start(window));
      },
      cancelMergedExport: () => this.deps.mergedExport.cancel(),
      closeWindow: () => focused()?.window.close(),
      quit: () => this.deps.quit(),
      toggleMerge: () => toggle('merge', { type: 'toggle-merge' }),
      toggleKernel: () => toggle('kernel', { type: 'toggle-kernel' }),
      zoom: (direction) => send({ type: 'zoom', direction }),
      setTheme: (theme) => this.setTheme(theme),
      about: () => {
        const window = focused();
        if (window) window.sendCommand({ type: 'about' });
        else this.deps.showAboutPanel();
      },
      keyboardShortcuts: () =>
        this.background(
          this.deps.dialogs.showMessage(focused()?.window, {
            kind: 'info',
            title: 'Keyboard Shortcuts',
            text: 'Keyboard Shortcuts',
            detail: shortcutList(menuTemplate(this.menuModel(), actions), this.deps.platform).join(
              '\n',
            ),
          }),
        ),
      openSample: () => {
        const { recording, symfs, kallsyms } = this.deps.paths.sample;
        this.background(this.open({ path: recording, symbols: { symfs, kallsyms } }, focused()));
      },
    };
    return actions;
  }

  /** Theme for the whole app: Chromium's prefers-color-scheme follows it, and each page is told. */
  setTheme(theme: Theme): void {
    this.deps.preferences.update({ theme });
    this.deps.applyTheme(theme);
    for (const window of this.deps.windows.all()) window.sendCommand({ type: 'theme', theme });
    this.deps.onChange();
  }

  /** The theme a freshly loaded page should start with. */
  themeCommand(): HostCommand {
    return { type: 'theme', theme: this.deps.preferences.get().theme };
  }

  private replaceableWindow(from: RecordingWindow | undefined): RecordingWindow | undefined {
    const { windows } = this.deps;
    if (from) return from.isReplaceable() ? from : undefined;
    const focused = windows.focused();
    if (focused?.isReplaceable()) return focused;
    return windows.all().find((w) => w.host.currentState().phase === 'empty');
  }

  /** Menu clicks cannot await: failures end in a message box instead of an unhandled rejection. */
  private background(work: Promise<unknown>): void {
    work.catch((e: unknown) =>
      this.deps.dialogs.showMessage(this.deps.windows.focused()?.window, {
        kind: 'error',
        title: 'perf workstation',
        text: SessionError.from(e).message,
      }),
    );
  }
}
