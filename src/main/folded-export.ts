import { basename, dirname, extname, join } from 'node:path';
import { SessionError, type ExportResult, type FoldedExportOptions } from '../shared/contract';
import type { Dialogs } from './dialogs';
import type { RecordingWindow } from './recording-window';
import { writeTextExport } from './text-export';

/**
 * Saves folded stacks (stackcollapse format) of a window's recording: the renderer supplies the
 * view's options (filters), main asks where with the save dialog and writes the session's chunks
 * there. The renderer never names the destination.
 */
export async function exportFoldedStacks(
  from: RecordingWindow,
  options: FoldedExportOptions,
  dialogs: Dialogs,
): Promise<ExportResult> {
  const recording = from.host.recording();
  if (!recording || from.host.currentState().phase !== 'loaded') {
    throw new SessionError('not-open', 'no recording is loaded in this window');
  }
  const destination = await dialogs.chooseDestination(from.window, {
    title: 'Export Folded Stacks',
    defaultPath: defaultFoldedPath(recording.path),
    filter: { name: 'Folded stacks', extensions: ['folded', 'txt'] },
  });
  if (!destination) return { saved: false };
  const { lines } = await writeTextExport(destination, (write) =>
    from.host.exportFolded(options, write),
  );
  return { saved: true, where: destination, lines };
}

/** `perf.data` → `perf.folded`, beside the recording. */
export function defaultFoldedPath(recording: string): string {
  return join(dirname(recording), `${basename(recording, extname(recording))}.folded`);
}
