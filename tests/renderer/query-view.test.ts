import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUERY_REST_MS, useTimelineStore } from '../../src/renderer/stores/timeline';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.useRealTimers());

describe('the view the session is asked about', () => {
  it('follows a view set at once, and a gesture (its first step too) once it rests', async () => {
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
    const range = (start: number) => ({ start, end: start + 100_000 });
    // a view set at once (zoom to the selection, reset): asked at once
    timeline.setView(range(10_000));
    const first = timeline.view;
    expect(timeline.queryView).toBe(first);
    // a gesture (wheel, keys): a step every frame, none asked until it rests, the first either
    // (its answer would land in the gesture's frames, and the session take their CPU)
    for (let i = 2; i < 10; i++) {
      timeline.stepView(range(i * 10_000));
      vi.advanceTimersByTime(16);
    }
    expect(timeline.queryView).toBe(first);
    vi.advanceTimersByTime(QUERY_REST_MS - 17);
    expect(timeline.queryView).toBe(first);
    vi.advanceTimersByTime(1);
    expect(timeline.queryView).toBe(timeline.view);
    expect(timeline.queryView.start).toBe(90_000);
    // a single key press is a gesture of one step
    vi.advanceTimersByTime(1000);
    timeline.stepView(range(200_000));
    expect(timeline.queryView.start).toBe(90_000);
    vi.advanceTimersByTime(QUERY_REST_MS);
    expect(timeline.queryView.start).toBe(200_000);
    // a view set at once during a gesture's rest is asked at once, and the pending rest dropped
    timeline.stepView(range(300_000));
    timeline.setView(range(400_000));
    expect(timeline.queryView.start).toBe(400_000);
    vi.advanceTimersByTime(QUERY_REST_MS);
    expect(timeline.queryView.start).toBe(400_000);
  });
});
