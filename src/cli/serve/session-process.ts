import { fork, type ChildProcess } from 'node:child_process';
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
  const crash = (why: string): void => {
    if (ended) return;
    ended = true;
    for (const l of crashListeners) l(why);
  };
  child.once('exit', (code, signal) =>
    crash(
      signal === 'SIGKILL'
        ? 'the session process was killed by SIGKILL (the kernel does this when memory runs out)'
        : signal
          ? `the session process was killed by ${signal}`
          : `the session process exited with code ${code ?? 'unknown'}`,
    ),
  );
  child.once('error', (e) => crash(`the session process failed: ${e.message}`));
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
