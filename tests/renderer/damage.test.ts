import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordingSummary } from '../../src/shared/contract';
import DamageBanner from '../../src/renderer/components/DamageBanner.vue';
import { emptyReason, type EmptyViewContext } from '../../src/renderer/model/empty-reason';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { useUiStore } from '../../src/renderer/stores/ui';
import SummaryView from '../../src/renderer/views/SummaryView.vue';
import { FakeHost, recordingSummary, settle, THREADS } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));

async function loaded(summary: RecordingSummary, threads = THREADS): Promise<void> {
  const host = new FakeHost({ threads: async () => threads });
  await useRecordingStore().attach(host);
  host.setState({ phase: 'loaded', name: 'perf.data', summary });
  await settle();
}

function truncated(samples = 30): RecordingSummary {
  const s = recordingSummary();
  s.meta.truncatedAt = 29_384;
  s.meta.samples = samples;
  s.meta.warnings = [
    { message: 'feature sections unreadable', offset: 221_800 },
    { message: 'the file ends inside a SAMPLE record', offset: 29_384 },
  ];
  if (samples === 0) s.events = s.events.map((e) => ({ ...e, samples: 0 }));
  return s;
}

describe('the damage banner', () => {
  it('says data is missing on every view, links to the details and can be dismissed', async () => {
    await loaded(truncated());
    const ui = useUiStore();
    ui.tab = 'flame-graph';
    const banner = mount(DamageBanner);
    await settle(2);
    const text = banner.get('[data-testid="damage-banner"]').text();
    expect(text).toContain('Data is missing: the file ends early, at byte 29,384');
    expect(text).toContain('Reading it gave 2 warnings.');
    await banner.get('[data-testid="damage-details"]').trigger('click');
    expect(ui.tab).toBe('summary');
    await banner.get('[data-testid="damage-dismiss"]').trigger('click');
    expect(banner.find('[data-testid="damage-banner"]').exists()).toBe(false);
  });

  it('stays away from a sound recording', async () => {
    await loaded(recordingSummary());
    const banner = mount(DamageBanner);
    await settle(2);
    expect(banner.find('[data-testid="damage-banner"]').exists()).toBe(false);
  });
});

describe('empty views name their real cause', () => {
  const base = (summary: RecordingSummary): EmptyViewContext => ({
    summary,
    event: 1,
    threads: THREADS,
    hasSelection: true,
    transforms: [],
  });

  it('a recording cut before its first sample blames the file, not the selection', () => {
    expect(emptyReason(base(truncated(0)))).toBe(
      'The file ends at byte 29,384, before its first sample: there is nothing to show.',
    );
    const empty = recordingSummary();
    empty.meta.samples = 0;
    expect(emptyReason(base(empty))).toBe('This recording has no samples.');
  });

  it('then the event, the thread, the selection, the transforms', () => {
    const s = recordingSummary();
    const noEvent = { ...s, events: s.events.map((e, i) => (i === 1 ? { ...e, samples: 0 } : e)) };
    expect(emptyReason(base(noEvent))).toBe('The recording has no samples of cpu-clock.');
    // app (thread 0) has no cpu-clock samples (event 1), only cycles
    expect(
      emptyReason({
        ...base(s),
        event: 0,
        threads: [THREADS[0]!],
        scopeLabel: 'Thread app (10)',
      }),
    ).toBe('Thread app (10) has no samples of cycles.');
    expect(emptyReason(base(s))).toBe('No samples of cpu-clock in the selected time range.');
    expect(
      emptyReason({
        ...base(s),
        hasSelection: false,
        transforms: [{ kind: 'drop-function', name: 'main' }],
      }),
    ).toBe('The transforms leave no samples of cpu-clock.');
  });
});

describe('counted words in the summary', () => {
  it('say "1 thread in 1 process", not "threads in 1 processes"', async () => {
    const s = recordingSummary();
    s.threads = 1;
    s.processes = 1;
    await loaded(s);
    const view = mount(SummaryView, { global: { stubs: { ThreadSamplesChart: true } } });
    await settle(2);
    expect(view.get('[data-testid="summary-threads"]').text()).toBe('thread in 1 process');
  });
});

describe('thread name history', () => {
  it('the summary lists every name a renamed thread had, with when it took effect', async () => {
    const renamed = {
      ...THREADS[1]!,
      name: 'phase-three',
      comms: [
        { time: 0, name: 'worker' },
        { time: 2_500_000, name: 'phase-two' },
        { time: 5_000_000, name: 'phase-three' },
      ],
    };
    await loaded(recordingSummary(), [THREADS[0]!, renamed]);
    const view = mount(SummaryView, { global: { stubs: { ThreadSamplesChart: true } } });
    await settle(2);
    const card = view.get('[data-testid="renamed-threads"]');
    expect(card.findAll('tbody tr')).toHaveLength(1);
    expect(card.get('tbody tr').text().replace(/\s+/g, ' ')).toBe(
      '11worker (from the start) → phase-two (at 2.50 ms) → phase-three (at 5.00 ms)',
    );
  });
});
