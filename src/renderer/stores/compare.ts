import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Comparison } from '../../shared/contract';
import type { TimeRange } from '../charts/time-viewport';
import type { RendererSession } from '../queries/renderer-session';
import { createSessionSlot } from '../queries/session-slot';
import { messageOf, useRecordingStore } from './recording';

/** How often to ask whether the compared recording has loaded, and for how long at most. */
const POLL_MS = 500;
const MAX_POLLS = 2400;

/**
 * What the differential views compare: a second recording the host runs (`perfws serve BASE
 * --compare NEW`), in its own session, or a baseline time range of this recording (compared
 * with the current selection). `differential` switches the flame graph to the differential mode.
 */
export const useCompareStore = defineStore('compare', () => {
  const recording = useRecordingStore();
  const comparison = shallowRef<Comparison>();
  const session = shallowRef<RendererSession>();
  const error = ref<string>();
  /** The baseline of a comparison of two time ranges of this recording. */
  const baselineRange = shallowRef<TimeRange>();
  const differential = ref(false);
  const slot = createSessionSlot(session);

  const available = computed(
    () => session.value !== undefined || baselineRange.value !== undefined,
  );

  /** Finds the host's compared recording, waits for it to load, connects to its session. */
  async function attach(): Promise<void> {
    const host = recording.host;
    const current = slot.reset();
    if (!host?.comparison || !host.connectComparison) return;
    try {
      for (let polls = 0; polls < MAX_POLLS; polls++) {
        const c = await host.comparison();
        if (!current()) return;
        comparison.value = c;
        if (!c || c.phase === 'failed' || c.phase === 'crashed') return;
        if (c.phase === 'loaded') break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (comparison.value?.phase !== 'loaded') return;
      const open = host.connectComparison.bind(host);
      await slot.connectSession(
        current,
        open,
        async () => {},
        () => (differential.value = true),
      );
    } catch (e) {
      if (current()) error.value = messageOf(e);
    }
  }

  watch(
    () => recording.ready,
    (ready) => {
      if (ready && !session.value) void attach();
    },
    { immediate: true },
  );

  /** Compares the current selection with `range` from now on (the same recording). */
  function setBaselineRange(range: TimeRange | undefined): void {
    baselineRange.value = range;
    differential.value = range !== undefined || session.value !== undefined;
  }

  return {
    attach,
    comparison,
    session,
    error,
    baselineRange,
    differential,
    available,
    setBaselineRange,
  };
});
