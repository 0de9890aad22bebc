import { realpath } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import {
  SessionError,
  type MERGED_EXPORT_METHODS,
  type MergedExportRequest,
  type MergedExportResult,
} from '../shared/contract';
import type { Dialogs } from './dialogs';
import type { RecordingWindow } from './recording-window';
import { runUtilityJob } from './utility-job';

/** The call the merged-export utility process serves (src/session/entries/merged-export.ts). */
export const MERGED_EXPORT_METHOD: (typeof MERGED_EXPORT_METHODS)[number] = 'exportMerged';
export type { MergedExportRequest, MergedExportResult };

export const MERGED_EXPORT_SERVICE_NAME = 'perf workstation merged export';

/**
 * File → Export merged perf.data…: asks where, refuses to overwrite the recording being read,
 * runs the export in its own utility process with progress on the taskbar, and reports the
 * outcome in a message box. One export at a time; the menu offers to cancel it while it runs.
 */
export class MergedExport {
  private running: AbortController | undefined;

  constructor(
    private readonly module: string,
    private readonly dialogs: Dialogs,
    private readonly onChange: () => void,
  ) {}

  isRunning(): boolean {
    return this.running !== undefined;
  }

  cancel(): void {
    this.running?.abort();
  }

  async start(from: RecordingWindow): Promise<void> {
    const recording = from.host.recording();
    if (this.running || !recording || from.host.currentState().phase !== 'loaded') return;
    const output = await this.dialogs.chooseDestination(from.window, {
      title: 'Export merged perf.data',
      defaultPath: defaultMergedPath(recording.path),
      filter: { name: 'perf recordings', extensions: ['data'] },
    });
    if (!output) return;
    if (await samePath(output, recording.path)) {
      await this.dialogs.showMessage(from.window, {
        kind: 'error',
        title: 'Export merged perf.data',
        text: 'Choose another file: the export cannot replace the recording it reads.',
      });
      return;
    }

    const abort = new AbortController();
    this.running = abort;
    this.onChange();
    const progressBar = (value: number): void => {
      if (!from.window.isDestroyed()) from.window.setProgressBar(value);
    };
    try {
      const request: MergedExportRequest = { input: recording.path, output };
      const result = (await runUtilityJob({
        module: this.module,
        serviceName: MERGED_EXPORT_SERVICE_NAME,
        method: MERGED_EXPORT_METHOD,
        args: [request],
        signal: abort.signal,
        onProgress: (p) => progressBar(p.total ? Math.min(1, p.done / p.total) : 2),
      })) as MergedExportResult;
      await this.report(from, {
        kind: 'info',
        title: 'Export merged perf.data',
        text: `Saved ${output}`,
        detail: mergedSummary(result),
      });
    } catch (e) {
      const error = SessionError.from(e);
      if (error.kind !== 'cancelled') {
        await this.report(from, {
          kind: 'error',
          title: 'Export merged perf.data',
          text: `The merged recording could not be written.`,
          detail: error.message,
        });
      }
    } finally {
      progressBar(-1);
      this.running = undefined;
      this.onChange();
    }
  }

  private async report(
    from: RecordingWindow,
    message: Parameters<Dialogs['showMessage']>[1],
  ): Promise<void> {
    await this.dialogs.showMessage(from.window.isDestroyed() ? undefined : from.window, message);
  }
}

/** `perf.data` → `perf.merged.data`, beside the recording (a directory recording: beside it). */
export function defaultMergedPath(recording: string): string {
  const ext = extname(recording);
  const stem = basename(recording, ext);
  return join(dirname(recording), `${stem}.merged${ext || '.data'}`);
}

export function mergedSummary(r: MergedExportResult): string {
  return (
    `${r.merged} samples merged, ${r.leftUnmerged} left with their kernel stack only, ` +
    `${r.droppedRecords} deferred callchain records removed; ${r.bytesWritten} bytes written.`
  );
}

async function samePath(a: string, b: string): Promise<boolean> {
  const real = async (p: string): Promise<string> => realpath(p).catch(() => p);
  return (await real(a)) === (await real(b));
}
