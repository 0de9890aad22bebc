import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  PROTOCOL_VERSION,
  SESSION_METHODS,
  SessionError,
  type OpenRequest,
  type Progress,
  type RecordingState,
  type RecordingSummary,
} from '../../../src/shared/contract';
import type { CallContext } from '../../../src/shared/rpc';
import {
  deferred,
  forkConfig,
  forked,
  resetElectronFake,
  settle,
  type FakeUtilityProcess,
} from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);

const { SessionHost, SESSION_SERVICE_NAME } = await import('../../../src/main/session-host');

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const RECORDING = join(FIXTURES, 'real/fp-recurse/perf.data');
// Any existing file stands for the built session module: the fake fork never loads it.
const SESSION_MODULE = join(import.meta.dirname, 'electron-fake.ts');
const SUMMARY = { threads: 3, processes: 1 } as unknown as RecordingSummary;

/** A session whose `open` answers when the test says so. */
function fakeSession(protocol = PROTOCOL_VERSION) {
  const calls: OpenRequest[] = [];
  let answer = deferred<RecordingSummary>();
  let context: CallContext | undefined;
  const chunks = ['main;work 3\n', 'main;idle 1\n'];
  forkConfig.serve = () => ({
    methods: SESSION_METHODS,
    service: {
      hello: async () => ({ protocol, pid: 1 }),
      open: async (request: OpenRequest, ctx: CallContext) => {
        calls.push(request);
        context = ctx;
        const mine = answer;
        ctx.signal.addEventListener('abort', () =>
          mine.reject(new SessionError('cancelled', 'cancelled')),
        );
        return mine.promise;
      },
      exportFolded: async (_options: unknown, ctx: CallContext) => {
        for (const c of chunks) ctx.emit('chunk', c);
        return { lines: 2, bytes: 24 };
      },
    },
  });
  return {
    calls,
    progress: (p: Progress) => context?.emit('progress', p),
    finish: (summary = SUMMARY) => answer.resolve(summary),
    fail: (e: unknown) => answer.reject(e),
    next: () => (answer = deferred<RecordingSummary>()),
  };
}

function host() {
  const states: RecordingState[] = [];
  const h = new SessionHost(SESSION_MODULE, (s) => states.push(s));
  return { h, states, phases: () => states.map((s) => s.phase) };
}

const target = { path: RECORDING, symbols: { symfs: '/tmp/symfs' } };
const lastChild = (): FakeUtilityProcess => forked[forked.length - 1]!;
/** The recording check is real file I/O: wait until the session was forked and asked to open. */
const loadStarted = (): Promise<void> =>
  vi.waitFor(() => {
    const child = lastChild();
    if (!child) throw new Error('not forked yet');
    return settle();
  });

beforeEach(resetElectronFake);
afterEach(() => vi.restoreAllMocks());

describe('SessionHost', () => {
  it('forks a session, opens the recording in it and reports loading, progress and loaded', async () => {
    const session = fakeSession();
    const { h, states, phases } = host();
    const opened = h.open(target);
    await vi.waitFor(() => expect(session.calls).toHaveLength(1));
    expect(forked).toHaveLength(1);
    expect(lastChild().options?.serviceName).toBe(SESSION_SERVICE_NAME);
    expect(session.calls).toEqual([{ path: RECORDING, symbols: { symfs: '/tmp/symfs' } }]);

    session.progress({ phase: 'reading', done: 50, total: 100 });
    await settle();
    expect(states.at(-1)).toEqual({
      phase: 'loading',
      name: 'perf.data',
      progress: { phase: 'reading', done: 50, total: 100 },
    });

    session.finish();
    await expect(opened).resolves.toEqual({ phase: 'loaded', name: 'perf.data', summary: SUMMARY });
    expect(phases()).toEqual(['loading', 'loading', 'loaded']);
    expect(h.currentState().phase).toBe('loaded');
  });

  it('turns an unexpected exit into "crashed", and Reopen forks a new session on the same file', async () => {
    const session = fakeSession();
    const { h, states } = host();
    const opened = h.open(target);
    await loadStarted();
    session.finish();
    await opened;
    const first = lastChild();

    first.crash(134);
    const crashed = states.at(-1);
    expect(crashed).toMatchObject({ phase: 'crashed', name: 'perf.data' });
    expect(crashed?.phase === 'crashed' && crashed.message).toContain('exit code 134');
    expect(() => h.connectRenderer()).toThrow(/no session/);

    session.next();
    const reopened = h.reopen();
    await vi.waitFor(() => expect(session.calls).toHaveLength(2));
    expect(forked).toHaveLength(2);
    expect(lastChild()).not.toBe(first);
    expect(session.calls.at(-1)?.path).toBe(RECORDING);
    session.finish();
    await expect(reopened).resolves.toMatchObject({ phase: 'loaded' });
  });

  it('reports a crash during the load as "crashed", not as a failed open', async () => {
    fakeSession();
    const { h, states } = host();
    const opened = h.open(target);
    await loadStarted();
    lastChild().crash(9);
    await expect(opened).resolves.toMatchObject({ phase: 'crashed' });
    expect(states.at(-1)?.phase).toBe('crashed');
    expect(states.filter((s) => s.phase === 'failed')).toEqual([]);
  });

  it('cancels a load: the session is told, then ended, and the state says cancelled', async () => {
    fakeSession();
    const { h, states } = host();
    const opened = h.open(target);
    await loadStarted();
    h.cancelLoad();
    await expect(opened).resolves.toMatchObject({
      phase: 'failed',
      error: { kind: 'cancelled' },
    });
    expect(lastChild().killed).toBe(true);
    expect(states.filter((s) => s.phase === 'failed')).toHaveLength(1);
  });

  it('cancels while the recording is still being checked: no session starts', async () => {
    fakeSession();
    const { h } = host();
    const opened = h.open(target);
    h.cancelLoad();
    await expect(opened).resolves.toMatchObject({
      phase: 'failed',
      error: { kind: 'cancelled' },
    });
    expect(forked).toHaveLength(0);
    expect(h.recording()).toEqual(target);
  });

  it('reports a session error as "failed" and ends that session', async () => {
    const session = fakeSession();
    const { h } = host();
    const opened = h.open(target);
    await loadStarted();
    session.fail(new SessionError('bad-recording', 'perf.data: corrupt record at offset 4096'));
    await expect(opened).resolves.toEqual({
      phase: 'failed',
      name: 'perf.data',
      error: { kind: 'bad-recording', message: 'perf.data: corrupt record at offset 4096' },
    });
    expect(lastChild().killed).toBe(true);
  });

  it('refuses a session that speaks another protocol', async () => {
    fakeSession(PROTOCOL_VERSION + 1);
    const { h } = host();
    await expect(h.open(target)).resolves.toMatchObject({
      phase: 'failed',
      error: { kind: 'protocol' },
    });
  });

  it('never forks for a file that is not a recording', async () => {
    const { h } = host();
    const state = await h.open({ path: join(FIXTURES, 'real/kallsyms'), symbols: {} });
    expect(state).toMatchObject({ phase: 'failed', error: { kind: 'bad-recording' } });
    expect(forked).toHaveLength(0);
  });

  it('hands the renderer a port of a new channel and the other end to the session', async () => {
    const session = fakeSession();
    const { h } = host();
    const opened = h.open(target);
    await loadStarted();
    session.finish();
    await opened;
    const port = h.connectRenderer();
    const sent = lastChild().controlMessages;
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toEqual({ type: 'renderer-port' });
    expect(sent[0]?.transfer).toHaveLength(1);
    expect(sent[0]?.transfer[0]).not.toBe(port);
  });

  it('streams folded stacks from the loaded session', async () => {
    const session = fakeSession();
    const { h } = host();
    const opened = h.open(target);
    await loadStarted();
    await expect(h.exportFolded({ filters: {} }, () => {})).rejects.toThrow(/no recording/);
    session.finish();
    await opened;
    const chunks: string[] = [];
    await expect(h.exportFolded({ filters: {} }, (c) => chunks.push(c))).resolves.toEqual({
      lines: 2,
      bytes: 24,
    });
    expect(chunks.join('')).toBe('main;work 3\nmain;idle 1\n');
  });

  it('ends the session with its window and reports nothing after', async () => {
    const session = fakeSession();
    const { h, states } = host();
    const opened = h.open(target);
    await loadStarted();
    session.finish();
    await opened;
    const count = states.length;
    h.dispose();
    expect(lastChild().killed).toBe(true);
    await settle();
    expect(states).toHaveLength(count);
  });

  it('gives each recording a fresh session and ignores the one it replaced', async () => {
    const session = fakeSession();
    const { h, states } = host();
    const first = h.open(target);
    await vi.waitFor(() => expect(session.calls).toHaveLength(1));
    const firstChild = lastChild();
    session.next();
    const second = h.open(target);
    await vi.waitFor(() => expect(session.calls).toHaveLength(2));
    expect(firstChild.killed).toBe(true);
    session.finish();
    await second;
    await first;
    expect(states.at(-1)?.phase).toBe('loaded');
  });

  it('says the session is not built when its module is missing', async () => {
    const states: RecordingState[] = [];
    const h = new SessionHost(join(FIXTURES, 'no-such-session.js'), (s) => states.push(s));
    await expect(h.open(target)).resolves.toMatchObject({
      phase: 'failed',
      error: { kind: 'internal', message: expect.stringContaining('npm run build') },
    });
    expect(forked).toHaveLength(0);
  });
});
