import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_METHODS, SESSION_METHODS, type SessionApi } from '../../src/shared/contract';
import { memoryPortPair, RpcClient, serve, type PortLike, type Remote } from '../../src/shared/rpc';
import { SessionService } from '../../src/session/service';
import { processPort, workerPort } from '../../src/session/transport';
import { FIXTURES } from '../support/recordings';
import { replicate } from '../support/replicate';
import { FIXTURE_SYMBOLS } from '../support/session';

const ENTRY = join(__dirname, '..', '..', 'src', 'session', 'entries', 'session.ts');
const FP = join(FIXTURES, 'real', 'fp-recurse', 'perf.data');
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** The session as a worker thread, running the real entry (TypeScript through tsx). */
function workerSession(): PortLike {
  const worker = new Worker(join(__dirname, '..', 'support', 'ts-worker.mjs'), {
    workerData: { entry: ENTRY },
  });
  cleanups.push(() => worker.terminate());
  return workerPort(worker);
}

/** The session as a forked child process (structured clone over the IPC channel). */
function childSession(): PortLike {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: 'inherit',
  });
  cleanups.push(() => child.kill());
  return processPort(child);
}

describe.each([
  ['worker thread', workerSession],
  ['forked child', childSession],
])('the session over a %s', (_name, start) => {
  it('opens a recording with progress events and answers queries with typed arrays', async () => {
    const client = new RpcClient(start());
    const api = client.proxy<SessionApi>(SESSION_METHODS);
    const hello = await api.hello();
    expect(hello.protocol).toBe(1);
    expect(hello.pid).toBeGreaterThan(0);
    const events: string[] = [];
    const summary = await api.open(
      { path: FP, symbols: FIXTURE_SYMBOLS },
      { onEvent: (name) => events.push(name) },
    );
    expect(summary.meta.samples).toBe(528);
    expect(events).toContain('progress');
    const flame = await api.flameGraph({ filters: {}, width: 1000 });
    expect(flame.x).toBeInstanceOf(Float64Array);
    expect(flame.rootTotal).toBe(528 * 667111);
    const chunks: string[] = [];
    const exported = await api.exportFolded(
      { filters: {} },
      { onEvent: (name, data) => name === 'chunk' && chunks.push(data as string) },
    );
    expect(exported.lines).toBe(23);
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(23);
    client.close();
  });

  it('cancels a load, reports errors as kinds, and refuses unknown methods', async () => {
    const port = start();
    const client = new RpcClient(port);
    const api = client.proxy<SessionApi>(SESSION_METHODS);
    const controller = new AbortController();
    const opening = api.open({ path: FP }, { signal: controller.signal });
    controller.abort();
    await expect(opening).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(api.summary()).rejects.toMatchObject({ kind: 'not-open' });
    await expect(api.open({ path: '/no/such/perf.data' })).rejects.toMatchObject({ kind: 'file' });
    await expect(client.call('constructor', [])).rejects.toMatchObject({ kind: 'bad-request' });
    client.close();
  });
});

describe('a session that dies', () => {
  /** A recording that takes a while to load: fp-recurse replicated. */
  const big = join(mkdtempSync(join(tmpdir(), 'perfws-crash-')), 'big.data');
  replicate(FP, big, 300);

  function killableChild(): { api: Remote<SessionApi>; kill: () => void } {
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: 'inherit',
    });
    cleanups.push(() => child.kill());
    const api = new RpcClient(processPort(child)).proxy<SessionApi>(SESSION_METHODS);
    return { api, kill: () => child.kill('SIGKILL') };
  }

  it('killed mid-load: the pending call fails with a clear error, another session is untouched', async () => {
    const survivor = killableChild();
    await survivor.api.open({ path: FP, symbols: FIXTURE_SYMBOLS });
    const victim = killableChild();
    let progressed = false;
    const loading = victim.api.open({ path: big }, { onEvent: () => (progressed = true) });
    while (!progressed) await new Promise((r) => setTimeout(r, 10));
    victim.kill();
    await expect(loading).rejects.toMatchObject({ message: 'the session process ended' });
    const flame = await survivor.api.flameGraph({ filters: {}, width: 500 });
    expect(flame.rootTotal).toBe(528 * 667111);
  });

  it('killed mid-query: the query fails, the client does not hang', async () => {
    const victim = killableChild();
    await victim.api.open({ path: big });
    const query = victim.api.topFunctions({ filters: {}, limit: 10 });
    victim.kill();
    await expect(query).rejects.toMatchObject({ message: 'the session process ended' });
  });
});

describe('what a renderer may call', () => {
  it('a port served with the renderer methods refuses open (a renderer never names a path)', async () => {
    const [a, b] = memoryPortPair();
    serve<SessionApi>(a, new SessionService(), RENDERER_METHODS);
    const api = new RpcClient(b).proxy<SessionApi>(SESSION_METHODS);
    await expect(api.open({ path: FP })).rejects.toMatchObject({
      kind: 'bad-request',
      message: 'unknown method open',
    });
    await expect(api.hello()).resolves.toMatchObject({ protocol: 1 });
  });
});
