/**
 * The one-shot utility process behind File → Export merged perf.data…: runs
 * `perfws inject --merge-callchains` out of main, with progress and cancellation.
 */
export interface MergedExportRequest {
  input: string;
  output: string;
}

export interface MergedExportResult {
  merged: number;
  /** Deferred samples whose user stack never came: written with their kernel stack only. */
  leftUnmerged: number;
  droppedRecords: number;
  bytesWritten: number;
}

export interface MergedExportApi {
  exportMerged(request: MergedExportRequest): Promise<MergedExportResult>;
}

export const MERGED_EXPORT_METHODS: readonly (keyof MergedExportApi)[] = ['exportMerged'];
