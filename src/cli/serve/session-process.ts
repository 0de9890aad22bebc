import { fork, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { SESSION_METHODS, type SessionApi } from '../../shared/contract';
import { RpcClient, type Remote } from '../../shared/rpc';
import { processPort } from '../../session/transport';
import type { SessionEntry } from './session-entry';

/** One forked session (a child process serving the whole SessionApi, `open` included). */
export interface SessionProcess {
  readonly pid: number;
  readonly client: RpcClient;
  readonly api: Remote<SessionApi>;
  /** Called once when the process ends for any reason but `stop()`. */
  onCrash(listener: (why: string) => void): void;
  stop(): void;
}

export function startSessionProcess(entry: SessionEntry): SessionProcess {
  const child: ChildProcess = fork(entry.path, [], {
    execArgv: entry.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const client = new RpcClient(processPort(child));
  let ended = false;
  const crashListeners: ((why: string) => void)[] = [];
  watchForCrash(child, (why) => {
    if (ended) return;
    ended = true;
    for (const l of crashListeners) l(why);
  });
  return {
    pid: child.pid ?? -1,
    client,
    api: client.proxy<SessionApi>(SESSION_METHODS),
    onCrash: (listener) => crashListeners.push(listener),
    stop: () => {
      ended = true;
      client.close();
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** How long a failed send waits for the process's exit, which says why it died. */
export const EXIT_GRACE_MS = 1000;

/**
 * Calls `crash` with why the process ended. A message sent to a process that was just killed
 * fails (`write EPIPE`) before its 'exit' arrives: the exit's signal or code is the reason then,
 * so an error waits a moment for it; an error with no exit after it (the process could not
 * start) is the reason itself. Every error is handled: one left unhandled would end the server.
 */
export function watchForCrash(child: EventEmitter, crash: (why: string) => void): void {
  let failed: NodeJS.Timeout | undefined;
  child.on('error', (e: Error) => {
    failed ??= setTimeout(() => crash(`the session process failed: ${e.message}`), EXIT_GRACE_MS);
    failed.unref();
  });
  child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    clearTimeout(failed);
    crash(
      signal === 'SIGKILL'
        ? 'the session process was killed by SIGKILL (the kernel does this when memory runs out)'
        : signal
          ? `the session process was killed by ${signal}`
          : `the session process exited with code ${code ?? 'unknown'}`,
    );
  });
}
