/**
 * Entry of the merged-export utility process (Electron main forks one per export): serves
 * MergedExportApi on `process.parentPort`, i.e. `perfws inject --merge-callchains` with progress.
 */
import type {
  MergedExportApi,
  MergedExportRequest,
  MergedExportResult,
  Progress,
} from '../../shared/contract';
import { MERGED_EXPORT_METHODS } from '../../shared/contract';
import { serve, type CallContext, type Service } from '../../shared/rpc';
import { injectMergedCallchains } from '../inject';
import { electronParentPort, type ElectronParentPort } from '../transport';

const service: Service<MergedExportApi> = {
  async exportMerged(request: MergedExportRequest, ctx: CallContext): Promise<MergedExportResult> {
    const r = await injectMergedCallchains(request.input, request.output, {
      signal: ctx.signal,
      onProgress: (done, total) => {
        const progress: Progress = { phase: 'exporting', done, total };
        ctx.emit('progress', progress);
      },
    });
    return {
      merged: r.merge.merged,
      leftUnmerged: r.merge.unmergedCookieMismatch + r.merge.unmergedEndOfSession,
      droppedRecords: r.droppedRecords,
      bytesWritten: r.bytesWritten,
    };
  },
};

const parent = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
if (parent) serve<MergedExportApi>(electronParentPort(parent), service, MERGED_EXPORT_METHODS);
else {
  process.stderr.write('perf workstation merged export: start me as an Electron utility process\n');
  process.exitCode = 2;
}
