import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MenuId,
  menuTemplate,
  shortcutList,
  type MenuActions,
  type MenuModel,
} from '../../../src/main/menu-template';
import { menuState, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);
const { AppMenu } = await import('../../../src/main/app-menu');

const MODEL: MenuModel = {
  platform: 'linux',
  appName: 'perf workstation',
  recent: [{ id: '0123456789abcdef', name: 'perf.data', where: '/home/me/rec' }],
  hasWindow: true,
  canExport: true,
  mergedExportRunning: false,
  merge: true,
  kernel: true,
  theme: 'system',
  sampleAvailable: true,
  developer: false,
};

function actions(): MenuActions & { calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push(args.length ? `${name}(${args.join(',')})` : name);
    };
  return {
    calls,
    openRecording: record('openRecording'),
    openRecent: record('openRecent'),
    clearRecent: record('clearRecent'),
    exportFolded: record('exportFolded'),
    exportMerged: record('exportMerged'),
    compareWith: record('compareWith'),
    cancelMergedExport: record('cancelMergedExport'),
    closeWindow: record('closeWindow'),
    quit: record('quit'),
    toggleMerge: record('toggleMerge'),
    toggleKernel: record('toggleKernel'),
    zoom: record('zoom'),
    setTheme: record('setTheme'),
    about: record('about'),
    keyboardShortcuts: record('keyboardShortcuts'),
    openSample: record('openSample'),
  };
}

function find(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const stack = [...template];
  while (stack.length) {
    const item = stack.shift()!;
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) stack.push(...item.submenu);
  }
  throw new Error(`no menu item ${id}`);
}

function top(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

const click = (item: MenuItemConstructorOptions): void =>
  (item.click as () => void | undefined)?.();

describe('menu template', () => {
  it('has File, Edit, View, Window and Help on Linux', () => {
    expect(menuTemplate(MODEL, actions()).map((m) => m.label)).toEqual([
      'File',
      'Edit',
      'View',
      'Window',
      'Help',
    ]);
  });

  it('File: labels and accelerators', () => {
    const file = top(menuTemplate(MODEL, actions()), 'File');
    expect(
      file.filter((i) => i.type !== 'separator').map((i) => [i.label, i.accelerator ?? '']),
    ).toEqual([
      ['Open Recording…', 'CmdOrCtrl+O'],
      ['Open Recent', ''],
      ['Compare With…', ''],
      ['Export', ''],
      ['Export Merged perf.data…', ''],
      ['Close Window', 'CmdOrCtrl+W'],
      ['Quit', 'CmdOrCtrl+Q'],
    ]);
    const exports = file.find((i) => i.label === 'Export')!.submenu as MenuItemConstructorOptions[];
    expect(exports.map((i) => [i.label, i.accelerator ?? ''])).toEqual([
      ['Folded Stacks…', 'CmdOrCtrl+E'],
      ['pprof Profile…', ''],
      ['speedscope Profile…', ''],
    ]);
  });

  it('View: checkboxes, zoom and theme', () => {
    const view = top(menuTemplate(MODEL, actions()), 'View');
    expect(
      view
        .filter((i) => i.type !== 'separator')
        .map((i) => [i.label, i.type ?? 'normal', i.accelerator ?? '']),
    ).toEqual([
      ['Merge Deferred Callchains', 'checkbox', ''],
      ['Show Kernel Frames', 'checkbox', ''],
      ['Zoom In', 'normal', 'CmdOrCtrl+='],
      ['Zoom Out', 'normal', 'CmdOrCtrl+-'],
      ['Reset Zoom', 'normal', 'CmdOrCtrl+0'],
      ['Theme', 'normal', ''],
    ]);
    const theme = find(menuTemplate({ ...MODEL, theme: 'dark' }, actions()), MenuId.theme);
    expect(
      (theme.submenu as MenuItemConstructorOptions[]).map((i) => [i.label, i.type, i.checked]),
    ).toEqual([
      ['System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
  });

  it('Help: keyboard shortcuts, the sample, about', () => {
    const help = top(menuTemplate(MODEL, actions()), 'Help');
    expect(help.filter((i) => i.type !== 'separator').map((i) => i.label)).toEqual([
      'Keyboard Shortcuts',
      'Open Sample Recording',
      'About perf workstation',
    ]);
  });

  it('checkboxes show the focused window’s view', () => {
    const t = menuTemplate({ ...MODEL, merge: false, kernel: true }, actions());
    expect(find(t, MenuId.merge).checked).toBe(false);
    expect(find(t, MenuId.kernel).checked).toBe(true);
  });

  it('exports need a loaded recording, window items need a window', () => {
    const none = menuTemplate({ ...MODEL, canExport: false, hasWindow: false }, actions());
    for (const id of [
      MenuId.exportFolded,
      MenuId.exportPprof,
      MenuId.exportSpeedscope,
      MenuId.exportMerged,
      MenuId.close,
      MenuId.merge,
    ]) {
      expect(find(none, id).enabled, id).toBe(false);
    }
    expect(find(none, MenuId.open).enabled).not.toBe(false);
    const loaded = menuTemplate(MODEL, actions());
    for (const id of [MenuId.exportFolded, MenuId.exportMerged, MenuId.close]) {
      expect(find(loaded, id).enabled, id).toBe(true);
    }
  });

  it('offers to cancel the merged export while it runs', () => {
    const a = actions();
    const item = find(
      menuTemplate({ ...MODEL, mergedExportRunning: true }, a),
      MenuId.exportMerged,
    );
    expect(item.label).toBe('Cancel Merged perf.data Export');
    click(item);
    expect(a.calls).toEqual(['cancelMergedExport']);
  });

  it('lists recent recordings by name and folder, and Clear', () => {
    const a = actions();
    const t = menuTemplate(MODEL, a);
    const recent = find(t, MenuId.recent).submenu as MenuItemConstructorOptions[];
    expect(recent[0]).toMatchObject({ label: 'perf.data', sublabel: '/home/me/rec' });
    click(recent[0]!);
    click(find(t, MenuId.clearRecent));
    expect(a.calls).toEqual(['openRecent(0123456789abcdef)', 'clearRecent']);

    const empty = menuTemplate({ ...MODEL, recent: [] }, a);
    const items = find(empty, MenuId.recent).submenu as MenuItemConstructorOptions[];
    expect(items[0]).toMatchObject({ label: 'No Recent Recordings', enabled: false });
    expect(find(empty, MenuId.clearRecent).enabled).toBe(false);
  });

  it('every item calls its action', () => {
    const a = actions();
    const t = menuTemplate(MODEL, a);
    for (const id of [
      MenuId.open,
      MenuId.exportFolded,
      MenuId.exportPprof,
      MenuId.exportSpeedscope,
      MenuId.exportMerged,
      MenuId.close,
      MenuId.quit,
      MenuId.merge,
      MenuId.kernel,
      MenuId.zoomIn,
      MenuId.zoomOut,
      MenuId.zoomReset,
      `${MenuId.theme}.light`,
      MenuId.shortcuts,
      MenuId.sample,
      MenuId.about,
    ]) {
      click(find(t, id));
    }
    expect(a.calls).toEqual([
      'openRecording',
      'exportFolded',
      'exportFolded(pprof)',
      'exportFolded(speedscope)',
      'exportMerged',
      'closeWindow',
      'quit',
      'toggleMerge',
      'toggleKernel',
      'zoom(in)',
      'zoom(out)',
      'zoom(reset)',
      'setTheme(light)',
      'keyboardShortcuts',
      'openSample',
      'about',
    ]);
  });

  it('puts Quit in the app menu on macOS and the developer tools in unpackaged apps', () => {
    const mac = menuTemplate({ ...MODEL, platform: 'darwin' }, actions());
    expect(mac[0]).toMatchObject({ role: 'appMenu' });
    expect(() => find(mac, MenuId.quit)).toThrow();
    const dev = top(menuTemplate({ ...MODEL, developer: true }, actions()), 'View');
    expect(dev.map((i) => i.role).filter(Boolean)).toEqual(['reload', 'toggleDevTools']);
    const user = top(menuTemplate(MODEL, actions()), 'View');
    expect(user.map((i) => i.role).filter(Boolean)).toEqual([]);
  });

  it('derives the keyboard shortcut list from the menu itself', () => {
    expect(shortcutList(menuTemplate(MODEL, actions()), 'linux')).toEqual([
      'Ctrl+O\tOpen Recording…',
      'Ctrl+E\tFolded Stacks…',
      'Ctrl+W\tClose Window',
      'Ctrl+Q\tQuit',
      'Ctrl+=\tZoom In',
      'Ctrl+-\tZoom Out',
      'Ctrl+0\tReset Zoom',
      'Ctrl+/\tKeyboard Shortcuts',
    ]);
  });
});

describe('AppMenu', () => {
  beforeEach(resetElectronFake);

  it('installs the template and rebuilds only when the model changed', () => {
    let model = MODEL;
    const menu = new AppMenu(() => model, actions());
    menu.refresh();
    menu.refresh();
    expect(menuState.builds).toBe(1);
    expect(find(menuState.template as MenuItemConstructorOptions[], MenuId.open).label).toBe(
      'Open Recording…',
    );
    model = { ...MODEL, canExport: false };
    menu.refresh();
    expect(menuState.builds).toBe(2);
    expect(
      find(menuState.template as MenuItemConstructorOptions[], MenuId.exportFolded).enabled,
    ).toBe(false);
  });
});
