import { existsSync } from 'node:fs';
import { utilityProcess } from 'electron';
import { SessionError, type Progress } from '../shared/contract';
import { RpcClient } from '../shared/rpc';
import { utilityProcessPort } from './utility-port';

export interface UtilityJob {
  /** The built entry that serves `method` on its `process.parentPort`. */
  module: string;
  serviceName: string;
  method: string;
  args: unknown[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** After a cancel, how long the job may take to clean up before it is ended. */
const CANCEL_GRACE_MS = 5000;

/**
 * Runs one call in a utility process of its own and ends the process: long jobs (the merged
 * perf.data export) neither block a window's session nor take it down when they fail.
 */
export async function runUtilityJob(job: UtilityJob): Promise<unknown> {
  if (!existsSync(job.module)) {
    throw new SessionError('internal', `${job.module} is missing: run npm run build`);
  }
  const child = utilityProcess.fork(job.module, [], {
    serviceName: job.serviceName,
    stdio: 'inherit',
  });
  let exitCode: number | undefined;
  child.once('exit', (code) => (exitCode = code));
  const client = new RpcClient(utilityProcessPort(child));
  const killLater = (): void => void setTimeout(() => child.kill(), CANCEL_GRACE_MS).unref();
  job.signal?.addEventListener('abort', killLater, { once: true });
  try {
    return await client.call(job.method, job.args, {
      signal: job.signal,
      onEvent: (event, data) => {
        if (event === 'progress') job.onProgress?.(data as Progress);
      },
    });
  } catch (e) {
    if (exitCode !== undefined && !job.signal?.aborted) {
      throw new SessionError(
        'internal',
        `${job.serviceName} stopped unexpectedly (exit code ${exitCode})`,
      );
    }
    throw e;
  } finally {
    job.signal?.removeEventListener('abort', killLater);
    client.close();
    child.kill();
  }
}
