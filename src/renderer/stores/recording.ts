import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type {
  HostApi,
  RecordingState,
  RecordingSummary,
  ThreadSummary,
} from '../../shared/contract';
import { perfMark } from '../model/perf-marks';
import {
  connectRpc,
  type RendererSession,
  type SessionConnection,
} from '../queries/renderer-session';

/**
 * The recording this window shows: the host's state (loading, loaded, failed, crashed), and once
 * loaded, the connection to its session with the thread list. `generation` changes with every
 * new session, so views know their cached answers are stale.
 */
export const useRecordingStore = defineStore('recording', () => {
  const host = shallowRef<HostApi>();
  const state = shallowRef<RecordingState>({ phase: 'empty' });
  const session = shallowRef<RendererSession>();
  const threads = shallowRef<readonly ThreadSummary[]>([]);
  const connectionError = ref<string>();
  const generation = ref(0);
  /** performance.now() when the last session became usable (for the interactivity figure). */
  const readyAt = ref(0);
  let connection: SessionConnection | undefined;
  let attempt = 0;

  const summary = computed<RecordingSummary | undefined>(() =>
    state.value.phase === 'loaded' ? state.value.summary : undefined,
  );
  const ready = computed(() => summary.value !== undefined && session.value !== undefined);

  async function attach(h: HostApi): Promise<void> {
    host.value = markRaw(h);
    h.onState((s) => void apply(s));
    try {
      await apply(await h.state());
    } catch (e) {
      state.value = { phase: 'crashed', name: '', message: messageOf(e) };
    }
  }

  async function apply(next: RecordingState): Promise<void> {
    const wasLoaded = state.value.phase === 'loaded';
    state.value = next;
    if (next.phase !== 'loaded') {
      disconnect();
      return;
    }
    // A second `loaded` for the same session (a state replay) needs no new connection.
    if (wasLoaded && connection) return;
    perfMark('perfws:loaded');
    await connect();
  }

  async function connect(): Promise<void> {
    disconnect();
    const h = host.value;
    if (!h) return;
    const mine = ++attempt;
    connectionError.value = undefined;
    try {
      const conn = connectRpc(await h.connectSession());
      if (mine !== attempt) {
        conn.close();
        return;
      }
      const list = await conn.api.threads();
      if (mine !== attempt) {
        conn.close();
        return;
      }
      connection = conn;
      conn.onClose(() => {
        if (connection !== conn) return;
        connection = undefined;
        session.value = undefined;
      });
      threads.value = markRaw(list);
      session.value = markRaw(conn.api);
      generation.value++;
      readyAt.value = performance.now();
      perfMark('perfws:session-ready');
    } catch (e) {
      if (mine === attempt) connectionError.value = messageOf(e);
    }
  }

  function disconnect(): void {
    attempt++;
    connection?.close();
    connection = undefined;
    session.value = undefined;
  }

  return {
    host,
    state,
    session,
    threads,
    summary,
    ready,
    connectionError,
    generation,
    readyAt,
    attach,
    connect,
  };
});

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e)
    return String((e as { message: unknown }).message);
  return String(e);
}
