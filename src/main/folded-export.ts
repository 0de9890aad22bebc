import { basename, dirname, extname, join } from 'node:path';
import {
  SessionError,
  type ExportFormat,
  type ExportResult,
  type FoldedExportOptions,
} from '../shared/contract';
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
  const format = options.format ?? 'folded';
  const kind = EXPORT_KINDS[format];
  const destination = await dialogs.chooseDestination(from.window, {
    title: kind.title,
    defaultPath: defaultFoldedPath(recording.path, format),
    filter: kind.filter,
  });
  if (!destination) return { saved: false };
  const { lines } = await writeTextExport(destination, (write) =>
    // pprof's bytes arrive as base64 text
    from.host.exportFolded(
      options,
      format === 'pprof' ? (chunk) => write(Buffer.from(chunk, 'base64')) : write,
    ),
  );
  return { saved: true, where: destination, lines };
}

/** Each export's dialog title, file type and extension. */
const EXPORT_KINDS: Record<
  ExportFormat,
  { title: string; extension: string; filter: { name: string; extensions: string[] } }
> = {
  folded: {
    title: 'Export Folded Stacks',
    extension: '.folded',
    filter: { name: 'Folded stacks', extensions: ['folded', 'txt'] },
  },
  pprof: {
    title: 'Export pprof Profile',
    extension: '.pb.gz',
    filter: { name: 'pprof profile', extensions: ['gz', 'pb'] },
  },
  speedscope: {
    title: 'Export speedscope Profile',
    extension: '.speedscope.json',
    filter: { name: 'speedscope profile', extensions: ['json'] },
  },
};

/** `perf.data` → `perf.folded` (`perf.pb.gz`, `perf.speedscope.json`), beside the recording. */
export function defaultFoldedPath(recording: string, format: ExportFormat = 'folded'): string {
  const base = basename(recording, extname(recording));
  return join(dirname(recording), `${base}${EXPORT_KINDS[format].extension}`);
}
