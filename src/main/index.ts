/**
 * The Electron main process: sequencing only. Each step lives in its own module (see README.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, ipcMain, nativeTheme, protocol, session } from 'electron';
import { AppController } from './app-controller';
import { AppMenu } from './app-menu';
import { appPaths } from './app-paths';
import { registerAppScheme, serveRendererFiles } from './app-protocol';
import { contentSecurityPolicy, installContentSecurityPolicy } from './content-security-policy';
import { nativeDialogs } from './dialogs';
import { registerIpcHandlers } from './ipc-handlers';
import { JsonFile } from './json-file';
import {
  appArguments,
  handoffOf,
  parseHandoff,
  parseLaunchArgs,
  type LaunchRequest,
} from './launch-args';
import { MergedExport } from './merged-export';
import { DEFAULT_PREFERENCES, parsePreferences, PreferenceStore } from './preferences';
import { parseStoredRecent, RecentFiles } from './recent-files';
import { rendererLocation } from './renderer-location';
import { guardWebContents, restrictPermissions } from './web-contents-guards';
import { WindowRegistry } from './window-registry';

const APP_NAME = 'perf workstation';

// Before `ready`: the renderer's scheme, the guards on every page, files the OS asks us to open.
registerAppScheme(protocol);
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
const launch = parseLaunchArgs(
  appArguments(process.argv, process.defaultApp === true),
  process.cwd(),
);
const openedByOs: string[] = [];
let controller: AppController | undefined;
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (controller) void controller.openLaunch({ recordings: [{ path, symbols: {} }] });
  else openedByOs.push(path);
});

if (!app.requestSingleInstanceLock(handoffOf(launch))) {
  // The running instance opens our recordings (see 'second-instance' below).
  app.quit();
} else {
  app
    .whenReady()
    .then(() => start(launch))
    .catch((e: unknown) => {
      dialog.showErrorBox(APP_NAME, `The app could not start: ${(e as Error).message}`);
      app.exit(1);
    });
}

async function start(request: LaunchRequest): Promise<void> {
  const paths = appPaths(app.getAppPath(), app.isPackaged);
  const renderer = rendererLocation(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
  const policy = contentSecurityPolicy(renderer.devServerOrigin);
  serveRendererFiles(protocol, paths.rendererDir, policy);
  installContentSecurityPolicy(session.defaultSession, renderer.isAppUrl, policy);
  restrictPermissions(session.defaultSession, renderer.isAppUrl);

  const userData = app.getPath('userData');
  const recent = new RecentFiles(
    new JsonFile(join(userData, 'recent.json'), parseStoredRecent, () => []),
    app,
  );
  const preferences = new PreferenceStore(
    new JsonFile(join(userData, 'preferences.json'), parsePreferences, () => ({
      ...DEFAULT_PREFERENCES,
    })),
  );
  nativeTheme.themeSource = preferences.get().theme;
  app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: app.getVersion() });

  // The menu is built from the controller, which needs to tell it about changes: a late binding.
  const menuHolder: { menu?: AppMenu } = {};
  const changed = (): void => menuHolder.menu?.refresh();
  const windows = new WindowRegistry({
    preload: paths.preload,
    icon: paths.windowIcon,
    sessionModule: paths.sessionModule,
    entryUrl: renderer.entryUrl,
    onChange: changed,
    onPageLoad: (window) => controller && window.sendCommand(controller.themeCommand()),
  });
  controller = new AppController({
    windows,
    recent,
    preferences,
    dialogs: nativeDialogs,
    mergedExport: new MergedExport(paths.mergedExportModule, nativeDialogs, changed),
    paths,
    platform: process.platform,
    appName: APP_NAME,
    developer: !app.isPackaged,
    sampleAvailable: () => existsSync(paths.sample.recording),
    applyTheme: (theme) => (nativeTheme.themeSource = theme),
    showAboutPanel: () => app.showAboutPanel(),
    quit: () => app.quit(),
    onChange: changed,
  });
  const appController = controller;
  const menu = new AppMenu(() => appController.menuModel(), appController.menuActions());
  menuHolder.menu = menu;
  recent.onChange(changed);
  registerIpcHandlers(
    ipcMain,
    { windowFor: (contents) => windows.forSender(contents), isAppUrl: renderer.isAppUrl },
    appController,
  );

  app.on('second-instance', (_event, _argv, _cwd, data) => {
    void appController.openLaunch(parseHandoff(data) ?? { recordings: [] });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!windows.all().length) windows.create();
  });

  menu.refresh();
  const fromOs = openedByOs.map((path) => ({ path, symbols: {} }));
  await appController.openLaunch({ recordings: [...request.recordings, ...fromOs] });
}
