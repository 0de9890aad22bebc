/**
 * The session's entry. The same code runs as an Electron utility process, a worker thread, or a
 * forked child: it looks at run time for the port it was given and serves the SessionApi on it.
 *
 * In Electron, main talks to the session over `process.parentPort` (with every method, `open`
 * included: only main decides which file is opened) and hands over a MessagePort to the renderer,
 * on which every method but `open` is served.
 */
import { isMainThread, parentPort as workerParent } from 'node:worker_threads';
import { RENDERER_METHODS, SESSION_METHODS, type SessionApi } from '../../shared/contract';
import { serve } from '../../shared/rpc';
import { SessionService } from '../service';
import { prestartLoadWorker } from '../model/load-worker-host';
import {
  electronMessagePort,
  electronParentPort,
  processPort,
  workerPort,
  type ElectronParentPort,
} from '../transport';

const service = new SessionService();
// the first recording opened finds its load worker started
prestartLoadWorker();
const electron = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

if (electron) {
  serve<SessionApi>(electronParentPort(electron), service, SESSION_METHODS);
  electron.on('message', (e) => {
    const data = e.data as { type?: string } | undefined;
    const port = e.ports?.[0];
    if (data?.type === 'renderer-port' && port)
      serve<SessionApi>(electronMessagePort(port), service, RENDERER_METHODS);
  });
} else if (!isMainThread && workerParent) {
  serve<SessionApi>(workerPort(workerParent), service, SESSION_METHODS);
} else if (process.send) {
  serve<SessionApi>(processPort(process), service, SESSION_METHODS);
  process.on('disconnect', () => process.exit(0));
} else {
  process.stderr.write(
    'perf workstation session: start me as a worker, a forked child or a utility process\n',
  );
  process.exitCode = 2;
}
