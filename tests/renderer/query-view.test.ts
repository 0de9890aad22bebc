import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUERY_REST_MS, useTimelineStore } from '../../src/renderer/stores/timeline';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.useRealTimers());

describe('the view the session is asked about', () => {
  it('follows a single step at once, and a gesture once it rests', async () => {
    // the clock of the view's changes is the fake one from the start (loading sets the view)
    vi.useFakeTimers({ toFake: ['performance'] });
    const recording = useRecordingStore();
    const timeline = useTimelineStore();
    const host = new FakeHost();
    await recording.attach(host);
    host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
    await settle();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.advanceTimersByTime(1000);
    const step = (start: number) => {
      timeline.setView({ start, end: start + 100_000 });
      return timeline.view;
    };
    // a key press: asked at once
    const first = step(10_000);
    expect(timeline.queryView).toBe(first);
    // a wheel gesture: a step every frame, not asked until it rests
    for (let i = 2; i < 10; i++) {
      vi.advanceTimersByTime(16);
      step(i * 10_000);
    }
    expect(timeline.queryView).toBe(first);
    vi.advanceTimersByTime(QUERY_REST_MS - 1);
    expect(timeline.queryView).toBe(first);
    vi.advanceTimersByTime(1);
    expect(timeline.queryView).toBe(timeline.view);
    expect(timeline.queryView.start).toBe(90_000);
    // the next step after a rest is asked at once again
    vi.advanceTimersByTime(QUERY_REST_MS);
    const next = step(200_000);
    expect(timeline.queryView).toBe(next);
  });
});
