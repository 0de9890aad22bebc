import { Worker } from 'node:worker_threads';
import type { LoadWorkerDone, LoadWorkerMessage } from '../entries/load-worker';
import { batchAck, type SampleBatch } from './sample-batches';

export interface LoadWorkerHandlers {
  batch(b: SampleBatch): void;
  progress?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface LoadWorker {
  run(handlers: LoadWorkerHandlers): Promise<LoadWorkerDone>;
  stop(): Promise<void>;
}

/**
 * Starts the load worker: the built `load-worker.js` beside this module's bundle (every entry and
 * chunk sits in out/node), or in a source checkout (tests, tsx) `entries/load-worker.ts` through
 * tsx's loader. Undefined when neither can run.
 */
export function startLoadWorker(path: string, rawView = true): LoadWorker | undefined {
  const here = import.meta.url;
  let worker: Worker;
  try {
    if (here.endsWith('.ts')) {
      const entry = new URL('../entries/' + 'load-worker.ts', here).href;
      worker = new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
        { eval: true, workerData: { path, rawView } },
      );
    } else {
      worker = new Worker(new URL('./' + 'load-worker.js', here), {
        workerData: { path, rawView },
      });
    }
  } catch {
    return undefined;
  }
  return {
    run: (h) =>
      new Promise<LoadWorkerDone>((resolve, reject) => {
        const abort = (): void => worker.postMessage({ kind: 'cancel' });
        h.signal?.addEventListener('abort', abort, { once: true });
        worker.on('message', (m: LoadWorkerMessage) => {
          switch (m.kind) {
            case 'batch':
              try {
                h.batch(m);
              } catch (e) {
                reject(e);
                return;
              }
              // the columns and shipped words were read, not kept: their buffers go back to be
              // refilled
              worker.postMessage(...batchAck(m));
              return;
            case 'progress':
              h.progress?.(m.done, m.total);
              return;
            case 'done':
              resolve(m);
              return;
            case 'failed':
              reject(
                h.signal?.aborted
                  ? Object.assign(new Error('cancelled'), { name: 'AbortError' })
                  : new Error(m.message),
              );
              return;
            default: {
              const never: never = m;
              return never;
            }
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`the load worker exited (code ${code})`)));
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
