import { Worker } from 'node:worker_threads';
import type { LoadWorkerData, LoadWorkerDone, LoadWorkerMessage } from '../entries/load-worker';
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
 * worker.run(), or undefined when the worker failed before it said anything (no loader, no
 * thread): the caller then reads on its own thread. A failure after that, or a cancellation, is
 * thrown.
 */
export async function runHeard(
  worker: LoadWorker,
  h: LoadWorkerHandlers,
): Promise<LoadWorkerDone | undefined> {
  let heard = false;
  try {
    return await worker.run({
      batch: (b) => {
        heard = true;
        h.batch(b);
      },
      progress: (d, t) => {
        heard = true;
        h.progress?.(d, t);
      },
      signal: h.signal,
    });
  } catch (e) {
    if (!heard && !h.signal?.aborted) return undefined;
    throw e;
  }
}

/** What the session's first message tells a pre-started load worker (load-worker.ts). */
export interface LoadWorkerStart extends LoadWorkerData {
  kind: 'load';
}

/** A load worker started ahead of a load, booted and waiting for it (prestartLoadWorker). */
let warm: Worker | undefined;

/**
 * Starts a load worker now for the next load to take: a thread's start and its modules' compile
 * take tens of milliseconds that then pass while nothing waits for them (the session starts one
 * when it starts, and again after each load). It does not keep the process alive while it waits.
 */
export function prestartLoadWorker(): void {
  if (warm) return;
  const worker = spawnLoadWorker();
  if (!worker) return;
  worker.unref();
  const forget = (): void => {
    if (warm === worker) warm = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  warm = worker;
}

/** Whether a pre-started load worker waits for the next load. */
export function loadWorkerWaiting(): boolean {
  return warm !== undefined;
}

/**
 * The load worker: the built `load-worker.js` beside this module's bundle (every entry and chunk
 * sits in out/node), or in a source checkout (tests, tsx) `entries/load-worker.ts` through tsx's
 * loader; told what to load by `data`, else by its first message. Undefined when neither runs.
 */
function spawnLoadWorker(data?: LoadWorkerData): Worker | undefined {
  const here = import.meta.url;
  try {
    if (here.endsWith('.ts')) {
      const entry = new URL('../entries/' + 'load-worker.ts', here).href;
      return new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
        { eval: true, workerData: data },
      );
    }
    return new Worker(new URL('./' + 'load-worker.js', here), { workerData: data });
  } catch {
    return undefined;
  }
}

/**
 * Starts a load on a load worker (`data.path`, and what to post): the pre-started one when there
 * is one, else a new one. Undefined when none can run.
 */
export function startLoadWorker(data: LoadWorkerData): LoadWorker | undefined {
  let worker = warm;
  warm = undefined;
  if (worker) {
    worker.ref();
    const start: LoadWorkerStart = { kind: 'load', ...data };
    worker.postMessage(start);
  } else {
    worker = spawnLoadWorker(data);
    if (!worker) return undefined;
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
