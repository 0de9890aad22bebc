import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnnotateAnswer, AnnotateQuery } from '../../src/shared/contract';
import {
  arrowsInRows,
  heatColor,
  layoutJumps,
  MAX_LANES,
} from '../../src/renderer/model/annotate-layout';
import { useAnnotateStore } from '../../src/renderer/stores/annotate';
import { useFiltersStore } from '../../src/renderer/stores/filters';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import { useUiStore } from '../../src/renderer/stores/ui';
import AnnotateView from '../../src/renderer/views/AnnotateView.vue';
import { FakeHost, recordingSummary, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));

describe('jump arrow lanes', () => {
  it('puts short jumps nearest the code and overlapping ones further out', () => {
    //            0   1  2   3  4   5   6  7   8
    const jumps = [-1, 5, -1, 4, -1, -1, 7, -1, 2];
    const { arrows, lanes } = layoutJumps(jumps);
    expect(arrows.map((a) => `${a.from}->${a.to}@${a.lane}`)).toEqual([
      '1->5@1', // overlaps 3->4
      '3->4@0',
      '6->7@0', // overlaps nothing of lane 0
      '8->2@2', // overlaps both of the others
    ]);
    expect(lanes).toBe(3);
    expect(arrowsInRows(arrows, 6, 7).map((a) => a.from)).toEqual([6, 8]);
    expect(arrowsInRows(arrows, 0, 0)).toEqual([]);
  });

  it('never uses more than MAX_LANES lanes, and ignores jumps to themselves', () => {
    const n = 40;
    const jumps = Array.from({ length: n }, (_, i) => (i < n / 2 ? n - 1 - i : -1));
    jumps.push(40); // a jump to itself
    const { arrows, lanes } = layoutJumps(jumps);
    expect(lanes).toBe(MAX_LANES);
    expect(arrows).toHaveLength(n / 2);
    expect(Math.max(...arrows.map((a) => a.lane))).toBe(MAX_LANES - 1);
  });

  it('colours no samples with nothing, and more samples more strongly', () => {
    expect(heatColor(0)).toBeUndefined();
    expect(heatColor(0.01)).toBe('rgb(235 87 35 / 0.165)');
    expect(heatColor(1)).toBe('rgb(235 87 35 / 0.750)');
  });
});

const ANSWER: AnnotateAnswer = {
  func: 7,
  name: 'lcg',
  symbol: 'leaf_work',
  lib: 'prog',
  file: '/bin/prog',
  samples: 4,
  period: 4000,
  instructions: [
    {
      address: '10',
      text: 'mov    %rdi,%rax',
      samples: 0,
      period: 0,
      jump: -1,
      source: 0,
      line: 3,
    },
    {
      address: '13',
      text: 'imul   %rsi,%rax',
      samples: 3,
      period: 3000,
      jump: -1,
      source: 0,
      line: 4,
    },
    {
      address: '17',
      text: 'jne    13 <f+0x3>',
      samples: 1,
      period: 1000,
      jump: 1,
      source: 0,
      line: 4,
    },
  ],
  sources: [
    {
      path: '/src/f.c',
      firstLine: 2,
      lines: ['int f(int x)', '{', '  return x * 3;'],
      lineTotals: [
        { line: 3, samples: 0, period: 0 },
        { line: 4, samples: 4, period: 4000 },
      ],
    },
  ],
};

describe('the annotate store and view', () => {
  it('openAnnotate shows the view for the function; a new recording forgets it', async () => {
    const host = new FakeHost();
    const recording = useRecordingStore();
    await recording.attach(host);
    host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
    await settle();
    const annotate = useAnnotateStore();
    annotate.openAnnotate(7);
    expect(useUiStore().tab).toBe('annotate');
    expect(annotate.func).toBe(7);
    host.setState({ phase: 'loaded', name: 'other.data', summary: recordingSummary('/other') });
    await settle();
    expect(annotate.func).toBeUndefined();
  });

  it('asks the session for the function under the current filters and shows the answer', async () => {
    const asked: AnnotateQuery[] = [];
    const host = new FakeHost({
      annotate: async (q: AnnotateQuery) => {
        asked.push(q);
        return q.func === 7
          ? ANSWER
          : {
              ...ANSWER,
              func: q.func,
              instructions: [],
              sources: [],
              unavailable: 'kernel: needs vmlinux',
            };
      },
    });
    const recording = useRecordingStore();
    useFiltersStore(); // the app has it from the start: it picks the default event on load
    await recording.attach(host);
    host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
    await settle();
    const view = mount(AnnotateView);
    expect(view.get('[data-testid="annotate-empty"]').text()).toContain('Pick a function');
    useAnnotateStore().openAnnotate(7);
    await settle();
    expect(asked).toEqual([{ filters: { event: 1, merge: true, frames: 'all' }, func: 7 }]);
    expect(view.get('[data-testid="annotate-name"]').text()).toBe('lcg');
    expect(view.get('[data-testid="annotate-inlined"]').text()).toContain('leaf_work');
    expect(view.get('[data-testid="annotate-total"]').text()).toContain('4 samples');
    // the source pane: lines with their totals, the hot line coloured
    const line4 = view.get('[data-testid="src-4"]');
    expect(line4.text()).toContain('100.0 %');
    expect(line4.classes()).toContain('hit');
    useAnnotateStore().openAnnotate(9);
    await settle();
    expect(view.get('[data-testid="annotate-unavailable"]').text()).toBe('kernel: needs vmlinux');
  });
});
