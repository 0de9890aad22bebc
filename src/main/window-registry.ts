import { BrowserWindow, type WebContents } from 'electron';
import { RecordingWindow } from './recording-window';
import { recordingWindowOptions } from './window-options';

export interface WindowRegistryOptions {
  preload: string;
  icon: string;
  sessionModule: string;
  entryUrl: string;
  /** Something the menu shows changed (focus, state, a window came or went). */
  onChange: () => void;
  /** A window's page (re)loaded: tell it what it cannot ask for (the theme). */
  onPageLoad: (window: RecordingWindow) => void;
}

/** The open windows, found by the WebContents that sends IPC or by focus. */
export class WindowRegistry {
  private readonly byContents = new Map<number, RecordingWindow>();

  constructor(private readonly options: WindowRegistryOptions) {}

  create(): RecordingWindow {
    const { preload, icon, sessionModule, entryUrl, onChange, onPageLoad } = this.options;
    const window = new BrowserWindow(recordingWindowOptions(preload, icon));
    const recordingWindow = new RecordingWindow(window, sessionModule, onChange);
    const contentsId = window.webContents.id;
    this.byContents.set(contentsId, recordingWindow);
    window.once('ready-to-show', () => window.show());
    window.on('focus', onChange);
    window.webContents.on('did-finish-load', () => onPageLoad(recordingWindow));
    window.on('closed', () => {
      this.byContents.delete(contentsId);
      onChange();
    });
    void window.loadURL(entryUrl);
    return recordingWindow;
  }

  forSender(contents: WebContents): RecordingWindow | undefined {
    return this.byContents.get(contents.id);
  }

  focused(): RecordingWindow | undefined {
    const window = BrowserWindow.getFocusedWindow();
    return window ? this.byContents.get(window.webContents.id) : undefined;
  }

  all(): RecordingWindow[] {
    return [...this.byContents.values()];
  }
}
