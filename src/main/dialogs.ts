import { dialog, type BrowserWindow } from 'electron';

/**
 * The native dialogs main uses. Every path main writes to or reads from the user's choice comes
 * out of these (or the command line, a drop, the recent list), never from the renderer.
 */
export interface Dialogs {
  chooseRecording(parent: BrowserWindow | undefined): Promise<string | undefined>;
  chooseDestination(
    parent: BrowserWindow | undefined,
    request: { title: string; defaultPath: string; filter: { name: string; extensions: string[] } },
  ): Promise<string | undefined>;
  showMessage(
    parent: BrowserWindow | undefined,
    message: { kind: 'info' | 'error'; title: string; text: string; detail?: string },
  ): Promise<void>;
}

export const nativeDialogs: Dialogs = {
  async chooseRecording(parent) {
    const options: Electron.OpenDialogOptions = {
      title: 'Open Recording',
      buttonLabel: 'Open',
      // A perf.data directory (perf record --threads) is opened by choosing its "data" file.
      properties: ['openFile', 'showHiddenFiles'],
      filters: [
        { name: 'All files', extensions: ['*'] },
        { name: 'perf recordings', extensions: ['data', 'perf', 'old'] },
      ],
    };
    const result = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  },

  async chooseDestination(parent, request) {
    const options: Electron.SaveDialogOptions = {
      title: request.title,
      defaultPath: request.defaultPath,
      filters: [request.filter, { name: 'All files', extensions: ['*'] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    };
    const result = parent
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  },

  async showMessage(parent, message) {
    const options: Electron.MessageBoxOptions = {
      type: message.kind === 'error' ? 'error' : 'info',
      title: message.title,
      message: message.text,
      detail: message.detail,
      buttons: ['OK'],
    };
    if (parent) await dialog.showMessageBox(parent, options);
    else await dialog.showMessageBox(options);
  },
};
