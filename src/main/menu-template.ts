import type { MenuItemConstructorOptions } from 'electron';
import type { ExportFormat, HostCommand, RecentEntry } from '../shared/contract';
import type { Theme } from './preferences';

type ZoomDirection = Extract<HostCommand, { type: 'zoom' }>['direction'];

/** What the menu shows: a snapshot of the app and of the focused window. */
export interface MenuModel {
  platform: NodeJS.Platform;
  appName: string;
  recent: RecentEntry[];
  /** A window has the focus (Close Window). */
  hasWindow: boolean;
  /** The focused window has a loaded recording (the exports). */
  canExport: boolean;
  mergedExportRunning: boolean;
  merge: boolean;
  kernel: boolean;
  theme: Theme;
  sampleAvailable: boolean;
  /** Unpackaged app: offer the developer tools. */
  developer: boolean;
}

export interface MenuActions {
  openRecording(): void;
  openRecent(id: string): void;
  clearRecent(): void;
  /** Folded stacks unless told another format (File → Export). */
  exportFolded(format?: ExportFormat): void;
  exportMerged(): void;
  cancelMergedExport(): void;
  /** File → Compare With…: a baseline for the focused window's recording. */
  compareWith(): void;
  closeWindow(): void;
  quit(): void;
  toggleMerge(): void;
  toggleKernel(): void;
  zoom(direction: ZoomDirection): void;
  setTheme(theme: Theme): void;
  about(): void;
  keyboardShortcuts(): void;
  openSample(): void;
}

/** Stable ids: tests and the Playwright test find items by them. */
export const MenuId = {
  open: 'file.open',
  recent: 'file.recent',
  clearRecent: 'file.recent.clear',
  exportFolded: 'file.export-folded',
  exportPprof: 'file.export-pprof',
  compareWith: 'file.compare-with',
  exportSpeedscope: 'file.export-speedscope',
  exportMerged: 'file.export-merged',
  close: 'file.close',
  quit: 'file.quit',
  merge: 'view.merge',
  kernel: 'view.kernel',
  zoomIn: 'view.zoom-in',
  zoomOut: 'view.zoom-out',
  zoomReset: 'view.zoom-reset',
  theme: 'view.theme',
  about: 'help.about',
  shortcuts: 'help.shortcuts',
  sample: 'help.sample',
} as const;

const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The native menu as a plain template (built into a Menu by app-menu.ts). */
export function menuTemplate(model: MenuModel, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = model.platform === 'darwin';
  const menus: MenuItemConstructorOptions[] = [];
  if (mac) menus.push({ label: model.appName, role: 'appMenu' });
  menus.push(
    fileMenu(model, actions, mac),
    { label: 'Edit', role: 'editMenu' },
    viewMenu(model, actions),
    { label: 'Window', role: 'windowMenu' },
    helpMenu(model, actions),
  );
  return menus;
}

function fileMenu(
  model: MenuModel,
  actions: MenuActions,
  mac: boolean,
): MenuItemConstructorOptions {
  const recent: MenuItemConstructorOptions[] = model.recent.map((entry) => ({
    id: `${MenuId.recent}.${entry.id}`,
    label: entry.name,
    sublabel: entry.where,
    toolTip: `${entry.where}/${entry.name}`,
    click: () => actions.openRecent(entry.id),
  }));
  if (!recent.length) recent.push({ label: 'No Recent Recordings', enabled: false });
  recent.push(
    { type: 'separator' },
    {
      id: MenuId.clearRecent,
      label: 'Clear Recently Opened',
      enabled: model.recent.length > 0,
      click: () => actions.clearRecent(),
    },
  );

  const items: MenuItemConstructorOptions[] = [
    {
      id: MenuId.open,
      label: 'Open Recording…',
      accelerator: 'CmdOrCtrl+O',
      click: () => actions.openRecording(),
    },
    { id: MenuId.recent, label: 'Open Recent', submenu: recent },
    {
      id: MenuId.compareWith,
      label: 'Compare With…',
      enabled: model.canExport,
      click: () => actions.compareWith(),
    },
    { type: 'separator' },
    {
      label: 'Export',
      submenu: [
        {
          id: MenuId.exportFolded,
          label: 'Folded Stacks…',
          accelerator: 'CmdOrCtrl+E',
          enabled: model.canExport,
          click: () => actions.exportFolded(),
        },
        {
          id: MenuId.exportPprof,
          label: 'pprof Profile…',
          enabled: model.canExport,
          click: () => actions.exportFolded('pprof'),
        },
        {
          id: MenuId.exportSpeedscope,
          label: 'speedscope Profile…',
          enabled: model.canExport,
          click: () => actions.exportFolded('speedscope'),
        },
      ],
    },
    model.mergedExportRunning
      ? {
          id: MenuId.exportMerged,
          label: 'Cancel Merged perf.data Export',
          click: () => actions.cancelMergedExport(),
        }
      : {
          id: MenuId.exportMerged,
          label: 'Export Merged perf.data…',
          enabled: model.canExport,
          click: () => actions.exportMerged(),
        },
    { type: 'separator' },
    {
      id: MenuId.close,
      label: 'Close Window',
      accelerator: 'CmdOrCtrl+W',
      enabled: model.hasWindow,
      click: () => actions.closeWindow(),
    },
  ];
  // On macOS Quit lives in the app menu.
  if (!mac) {
    items.push(
      { type: 'separator' },
      { id: MenuId.quit, label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    );
  }
  return { label: 'File', submenu: items };
}

function viewMenu(model: MenuModel, actions: MenuActions): MenuItemConstructorOptions {
  const items: MenuItemConstructorOptions[] = [
    {
      id: MenuId.merge,
      label: 'Merge Deferred Callchains',
      type: 'checkbox',
      checked: model.merge,
      enabled: model.hasWindow,
      click: () => actions.toggleMerge(),
    },
    {
      id: MenuId.kernel,
      label: 'Show Kernel Frames',
      type: 'checkbox',
      checked: model.kernel,
      enabled: model.hasWindow,
      click: () => actions.toggleKernel(),
    },
    { type: 'separator' },
    {
      id: MenuId.zoomIn,
      label: 'Zoom In',
      accelerator: 'CmdOrCtrl+=',
      enabled: model.hasWindow,
      click: () => actions.zoom('in'),
    },
    {
      id: MenuId.zoomOut,
      label: 'Zoom Out',
      accelerator: 'CmdOrCtrl+-',
      enabled: model.hasWindow,
      click: () => actions.zoom('out'),
    },
    {
      id: MenuId.zoomReset,
      label: 'Reset Zoom',
      accelerator: 'CmdOrCtrl+0',
      enabled: model.hasWindow,
      click: () => actions.zoom('reset'),
    },
    { type: 'separator' },
    {
      id: MenuId.theme,
      label: 'Theme',
      submenu: (Object.keys(THEME_LABELS) as Theme[]).map((theme) => ({
        id: `${MenuId.theme}.${theme}`,
        label: THEME_LABELS[theme],
        type: 'radio',
        checked: model.theme === theme,
        click: () => actions.setTheme(theme),
      })),
    },
  ];
  if (model.developer) {
    items.push(
      { type: 'separator' },
      { role: 'reload' },
      { role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' },
    );
  }
  return { label: 'View', submenu: items };
}

function helpMenu(model: MenuModel, actions: MenuActions): MenuItemConstructorOptions {
  return {
    label: 'Help',
    role: 'help',
    submenu: [
      {
        id: MenuId.shortcuts,
        label: 'Keyboard Shortcuts',
        accelerator: 'CmdOrCtrl+/',
        click: () => actions.keyboardShortcuts(),
      },
      {
        id: MenuId.sample,
        label: 'Open Sample Recording',
        enabled: model.sampleAvailable,
        click: () => actions.openSample(),
      },
      { type: 'separator' },
      { id: MenuId.about, label: `About ${model.appName}`, click: () => actions.about() },
    ],
  };
}

/**
 * "Ctrl+O  Open Recording…" lines for every item with an accelerator, read from the template
 * itself so the Keyboard Shortcuts list cannot drift from the menu.
 */
export function shortcutList(
  template: readonly MenuItemConstructorOptions[],
  platform: NodeJS.Platform,
): string[] {
  const lines: string[] = [];
  const visit = (items: readonly MenuItemConstructorOptions[]): void => {
    for (const item of items) {
      if (item.accelerator && item.label) {
        lines.push(`${displayAccelerator(item.accelerator, platform)}\t${item.label}`);
      }
      if (Array.isArray(item.submenu)) visit(item.submenu);
    }
  };
  visit(template);
  return lines;
}

function displayAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  return accelerator.replace('CmdOrCtrl', platform === 'darwin' ? 'Cmd' : 'Ctrl');
}
