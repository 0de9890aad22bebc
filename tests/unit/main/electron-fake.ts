/**
 * A stand-in for the parts of `electron` that main's modules use, for `vi.mock('electron')`:
 *   vi.mock('electron', async () => (await import('./electron-fake')).electronModule);
 * Utility processes run a real RPC server (shared/rpc `serve`) over an in-memory port, so the
 * session host talks to them exactly as to a real session.
 */
import { EventEmitter } from 'node:events';
import { memoryPortPair, serve, type PortLike, type Service } from '../../../src/shared/rpc';

export interface FakeService {
  service: object;
  methods: readonly string[];
}

/** What the next fork serves (tests set it); undefined: a process that answers nothing. */
export const forkConfig: { serve: (() => FakeService) | undefined } = { serve: undefined };

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  killed = false;
  /** Non-RPC messages main sent (the renderer ports), with their transfer lists. */
  readonly controlMessages: { message: unknown; transfer: unknown[] }[] = [];
  private readonly toChild: PortLike;

  constructor(
    readonly modulePath: string,
    readonly options: { serviceName?: string } | undefined,
  ) {
    super();
    const [mainEnd, childEnd] = memoryPortPair();
    mainEnd.onMessage((m) => {
      if (!this.killed) this.emit('message', m);
    });
    this.toChild = mainEnd;
    const config = forkConfig.serve?.();
    if (config) {
      serve(childEnd, config.service as Service<Record<string, never>>, config.methods as never[]);
    }
  }

  postMessage(message: unknown, transfer: unknown[] = []): void {
    if (this.killed) return;
    const kind = (message as { kind?: unknown }).kind;
    if (kind === undefined) this.controlMessages.push({ message, transfer });
    else this.toChild.postMessage(message as never);
  }

  kill(): boolean {
    if (this.killed) return false;
    this.killed = true;
    this.pid = undefined;
    queueMicrotask(() => this.emit('exit', 15));
    return true;
  }

  /** The process dies on its own. */
  crash(code: number): void {
    this.killed = true;
    this.pid = undefined;
    this.emit('exit', code);
  }
}

export const forked: FakeUtilityProcess[] = [];

export class FakeMessagePortMain extends EventEmitter {
  constructor(readonly name: string) {
    super();
  }
  start(): void {}
  close(): void {}
  postMessage(): void {}
}

export class MessageChannelMain {
  port1 = new FakeMessagePortMain('port1');
  port2 = new FakeMessagePortMain('port2');
}

export const menuState: { template: unknown; builds: number } = { template: undefined, builds: 0 };

export const electronModule = {
  utilityProcess: {
    fork: (modulePath: string, _args?: string[], options?: { serviceName?: string }) => {
      const child = new FakeUtilityProcess(modulePath, options);
      forked.push(child);
      return child;
    },
  },
  MessageChannelMain,
  Menu: {
    buildFromTemplate: (template: unknown) => {
      menuState.builds++;
      return { template };
    },
    setApplicationMenu: (menu: { template: unknown }) => {
      menuState.template = menu.template;
    },
  },
};

export function resetElectronFake(): void {
  forked.length = 0;
  forkConfig.serve = undefined;
  menuState.template = undefined;
  menuState.builds = 0;
}

/** A promise with its resolve and reject, for services that answer when the test says so. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued microtasks and timers of the in-memory ports run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Enough of a BrowserWindow for RecordingWindow: records what main sends to the page. */
export class FakeBrowserWindow extends EventEmitter {
  private static nextId = 1;
  destroyed = false;
  focusedNow = false;
  title = '';
  progress: number[] = [];
  readonly sent: { channel: string; payload: unknown; transfer?: unknown[] }[] = [];
  readonly webContents: EventEmitter & {
    id: number;
    send(channel: string, payload: unknown): void;
    postMessage(channel: string, payload: unknown, transfer: unknown[]): void;
  };

  constructor() {
    super();
    const contents = new EventEmitter() as FakeBrowserWindow['webContents'];
    contents.id = FakeBrowserWindow.nextId++;
    contents.send = (channel, payload) => this.sent.push({ channel, payload });
    contents.postMessage = (channel, payload, transfer) =>
      this.sent.push({ channel, payload, transfer });
    this.webContents = contents;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  setProgressBar(value: number): void {
    this.progress.push(value);
  }
  setTitle(title: string): void {
    this.title = title;
  }
  focus(): void {
    this.focusedNow = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  /** What the page got on a channel, in order. */
  payloads(channel: string): unknown[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.payload);
  }
}
