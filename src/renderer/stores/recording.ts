import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type {
  HostApi,
  RecordingState,
  RecordingSummary,
  ThreadSummary,
} from '../../shared/contract';
import { perfMark } from '../model/perf-marks';
import type { RendererSession } from '../queries/renderer-session';
import { createSessionSlot } from '../queries/session-slot';

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
  const slot = createSessionSlot(session);

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
    if (wasLoaded && session.value) return;
    perfMark('perfws:loaded');
    await connect();
  }

  async function connect(): Promise<void> {
    const current = slot.reset();
    const h = host.value;
    if (!h) return;
    connectionError.value = undefined;
    try {
      await slot.connectSession(
        current,
        () => h.connectSession(),
        (api) => api.threads(),
        (list) => {
          threads.value = markRaw(list);
          generation.value++;
          readyAt.value = performance.now();
          perfMark('perfws:session-ready');
        },
      );
    } catch (e) {
      if (current()) connectionError.value = messageOf(e);
    }
  }

  function disconnect(): void {
    slot.reset();
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
