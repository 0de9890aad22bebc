import type { ExportFormat, HostCommand } from '../../shared/contract';
import { KEY_PAN, KEY_ZOOM_IN, KEY_ZOOM_OUT, TimeGestures } from '../charts/time-gestures';
import { messageOf, useRecordingStore } from '../stores/recording';
import { useFiltersStore } from '../stores/filters';
import { useTimelineStore } from '../stores/timeline';
import { useUiStore, type Tab } from '../stores/ui';
import { useViewState } from '../stores/view-state';
import { useViewsStore } from '../stores/views';
import { useCompareStore } from '../stores/compare';
import type { AppAction } from './shortcuts';

/** Tabs whose view has a search box. */
const SEARCHABLE: readonly Tab[] = ['flame-graph', 'flame-chart', 'top-functions', 'call-tree'];

/** Runs what a shortcut, a button or a menu command asks for. */
export function useActions(): {
  run: (action: AppAction) => void;
  runHostCommand: (command: HostCommand) => void;
  exportFolded: (format?: ExportFormat) => Promise<void>;
} {
  const recording = useRecordingStore();
  const filters = useFiltersStore();
  const timeline = useTimelineStore();
  const ui = useUiStore();
  const views = useViewsStore();
  const keys = new TimeGestures(timeline);
  const { reset: resetView } = useViewState();

  /** Exports the samples the views show (filters and transforms) as folded stacks or a profile. */
  async function exportFolded(format: ExportFormat = 'folded'): Promise<void> {
    const host = recording.host;
    if (!host || !recording.ready) return;
    const what = format === 'folded' ? 'folded stacks' : `a ${format} profile`;
    ui.notify(`Exporting ${what}…`);
    try {
      const options = { filters: filters.aggregateFilters };
      const result = await host.exportFolded(
        format === 'folded' ? options : { ...options, format },
      );
      if (result.saved && format === 'folded')
        ui.notify(`Exported ${result.lines.toLocaleString('en-US')} stacks to ${result.where}`);
      else if (result.saved) ui.notify(`Exported ${what} to ${result.where}`);
    } catch (e) {
      ui.notify(`Export failed: ${messageOf(e)}`, 'error');
    }
  }

  function run(action: AppAction): void {
    switch (action) {
      case 'help':
        ui.helpOpen = !ui.helpOpen;
        return;
      case 'tab-summary':
        ui.tab = 'summary';
        return;
      case 'tab-flame-graph':
        ui.tab = 'flame-graph';
        return;
      case 'tab-flame-chart':
        ui.tab = 'flame-chart';
        return;
      case 'tab-samples':
        ui.tab = 'samples';
        return;
      case 'tab-top-functions':
        ui.tab = 'top-functions';
        return;
      case 'tab-call-tree':
        ui.tab = 'call-tree';
        return;
      case 'reset-view':
        resetView();
        ui.notify('View reset');
        return;
      case 'tab-annotate':
        ui.tab = 'annotate';
        return;
      case 'toggle-merge':
        filters.toggleMerge();
        ui.notify(filters.merge ? 'Deferred user stacks merged' : 'Stacks as recorded (merge off)');
        return;
      case 'toggle-kernel':
        filters.toggleKernel();
        ui.notify(filters.frames === 'all' ? 'Kernel frames shown' : 'Kernel frames hidden');
        return;
      case 'focus-search':
        if (!SEARCHABLE.includes(ui.tab)) ui.tab = 'flame-graph';
        views.focusSearchRequest++;
        return;
      case 'zoom-in':
        keys.zoom(KEY_ZOOM_IN);
        return;
      case 'zoom-out':
        keys.zoom(KEY_ZOOM_OUT);
        return;
      case 'zoom-reset':
        timeline.reset();
        return;
      case 'zoom-to-selection':
        if (filters.selection) timeline.setView(filters.selection);
        return;
      case 'pan-left':
        keys.pan(-KEY_PAN);
        return;
      case 'pan-right':
        keys.pan(KEY_PAN);
        return;
      case 'escape':
        if (ui.helpOpen || ui.aboutOpen) {
          ui.helpOpen = false;
          ui.aboutOpen = false;
        } else filters.setSelection(undefined);
        return;
      case 'flame-zoom-out':
        if (ui.tab === 'flame-graph') views.zoomFlameOut();
        else if (ui.tab === 'flame-chart') views.chartZoomOut();
        return;
      case 'export-folded':
        void exportFolded();
        return;
      case 'cycle-theme':
        ui.cycleTheme();
        return;
      default: {
        const never: never = action;
        return never;
      }
    }
  }

  function runHostCommand(command: HostCommand): void {
    switch (command.type) {
      case 'toggle-merge':
        return run('toggle-merge');
      case 'toggle-kernel':
        return run('toggle-kernel');
      case 'zoom':
        return run(
          command.direction === 'in'
            ? 'zoom-in'
            : command.direction === 'out'
              ? 'zoom-out'
              : 'zoom-reset',
        );
      case 'theme':
        ui.themePreference = command.theme;
        return;
      case 'export-folded':
        void exportFolded(command.format);
        return;
      case 'about':
        ui.aboutOpen = true;
        return;
      case 'comparison':
        void useCompareStore().attach();
        return;
      default: {
        const never: never = command;
        return never;
      }
    }
  }

  return { run, runHostCommand, exportFolded };
}
