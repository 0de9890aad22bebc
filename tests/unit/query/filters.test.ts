/**
 * Every query and the folded export at the edges of their filters: a time range includes a
 * sample exactly at its start and excludes one exactly at its end; an empty selection answers
 * nothing; merging off, user-only and kernel-only frames, the event and the threads apply to all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../../src/shared/contract';
import type { Profile } from '../../../src/shared/model';
import { flameChart } from '../../../src/session/query/flame-chart';
import { flameGraph } from '../../../src/session/query/flame-graph';
import { samplePage } from '../../../src/session/query/samples';
import { timeline } from '../../../src/session/query/timeline';
import { callers, topFunctions } from '../../../src/session/query/top-functions';
import {
  resolveFilters,
  stackStatusCounts,
  stackWeights,
} from '../../../src/session/query/filters';
import { loadSumsOf } from '../../../src/session/model/load-sums';
import { flameChartText, flameGraphText, foldedText } from '../../support/query-text';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  ({ profile } = await textProfile(`
    app;main;before 1 t=0
    app;main;at_start;sys_[k] 1 t=100 merge=merged
    app;main;inside 1 t=200
    app;main;at_end 1 t=300
    app;main;after 1 t=400
    app;main;other_event 1 t=200 event=task-clock
    app;main;other_event 2 t=250 event=task-clock
    helper;main;helping 1 t=150 thread=200
  `));
});

/** What each query sees under some filters: the leaf functions it shows, in its own words. */
function seen(filters: Filters): Record<string, unknown> {
  const graph = flameGraph(profile, { filters, width: 1000, weight: 'samples' });
  const top = topFunctions(profile, { filters, limit: 100, weight: 'samples' });
  const main = top.rows.find((r) => r.name === 'main');
  return {
    flameGraph: flameGraphText(graph).split('\n').filter(Boolean),
    topFunctions: top.rows
      .filter((r) => r.self > 0)
      .map((r) => r.name)
      .sort(),
    callersOfMain: main ? callers(profile, { filters, func: main.func }).total : 0,
    timeline: timeline(profile, { filters, bins: 10 }).rows.map((r) => r.total),
    samples: resolveFilters(profile, filters).threads.map((thread) =>
      samplePage(profile, { thread, filters, offset: 0, limit: 100 })
        .rows.map((r) => r.leaf)
        .join(' '),
    ),
    flameChart: flameChartText(flameChart(profile, { thread: 0, filters, width: 1000 })),
    folded: foldedText(profile, { filters, weight: 'samples' }),
  };
}

describe('filters at their edges', () => {
  it('a range includes the sample at its start and excludes the one at its end, in every answer', () => {
    expect(seen({ range: { start: 100, end: 300 } })).toEqual({
      flameGraph: [
        'main 3',
        '  at_start 1',
        '    sys 1 self=1',
        '  helping 1 self=1',
        '  inside 1 self=1',
      ],
      topFunctions: ['helping', 'inside', 'sys'],
      callersOfMain: 3,
      timeline: [2, 1],
      samples: ['sys inside', 'helping'],
      flameChart: ['0 main 100-300', '1 at_start 100-200', '1 inside 200-300', '2 sys 100-200'],
      folded: ['app;main;at_start;sys 1', 'app;main;inside 1', 'helper;main;helping 1'],
    });
  });

  it('an empty selection shows nothing anywhere', () => {
    const nothing = {
      flameGraph: [],
      topFunctions: [],
      callersOfMain: 0,
      timeline: [0, 0],
      samples: ['', ''],
      flameChart: [],
      folded: [],
    };
    expect(seen({ range: { start: 200, end: 200 } })).toEqual(nothing);
    // The per-thread views name their thread: only the range empties them.
    const whole = seen({}).flameChart;
    const noThreads = { ...nothing, timeline: [], samples: [], flameChart: whole };
    expect(seen({ threads: [] })).toEqual(noThreads);
    expect(seen({ pids: [999] })).toEqual(noThreads);
  });

  it('the event, threads and processes choose the samples', () => {
    // the default event has the most samples: cpu-clock, 6 against 3
    expect(resolveFilters(profile, {}).event).toBe(0);
    const other = seen({ event: 1 });
    expect(other.topFunctions).toEqual(['other_event']);
    expect(other.timeline).toEqual([3, 0]);
    expect(other.folded).toEqual(['app;main;other_event 3']);
    expect(seen({ threads: [1] }).folded).toEqual(['helper;main;helping 1']);
    expect(seen({ pids: [200] }).folded).toEqual(['helper;main;helping 1']);
    expect(seen({ pids: [100], threads: [1] }).folded).toEqual([]);
  });

  it('merging off shows the recorded stack in every stack view', () => {
    const raw = seen({ merge: false, range: { start: 100, end: 101 } });
    expect(raw.flameGraph).toEqual(['[deferred user stack] 1', '  sys 1 self=1']);
    expect(raw.topFunctions).toEqual(['sys']);
    expect(raw.callersOfMain).toBe(0);
    expect(raw.flameChart).toEqual(['0 [deferred user stack] 100-101', '1 sys 100-101']);
    expect(raw.folded).toEqual(['app;[deferred user stack];sys 1']);
  });

  it('user-only and kernel-only frames apply to every stack view', () => {
    const user = seen({ frames: 'user', range: { start: 100, end: 101 } });
    expect(user.flameGraph).toEqual(['main 1', '  at_start 1 self=1']);
    expect(user.folded).toEqual(['app;main;at_start 1']);
    expect(user.flameChart).toEqual(['0 main 100-101', '1 at_start 100-101']);
    const kernel = seen({ frames: 'kernel', range: { start: 100, end: 300 } });
    expect(kernel.flameGraph).toEqual(['sys 1 self=1']);
    expect(kernel.topFunctions).toEqual(['sys']);
    expect(kernel.callersOfMain).toBe(0);
    // samples without kernel frames keep their comm only
    expect(kernel.folded).toEqual(['app 1', 'app;sys 1', 'helper 1']);
    expect(kernel.flameChart).toEqual(['0 sys 100-200']);
  });

  it('refuses events and threads that do not exist', () => {
    expect(() => resolveFilters(profile, { event: 2 })).toThrow(/no event 2/);
    expect(() => resolveFilters(profile, { threads: [2] })).toThrow(/no thread 2/);
    expect(() => resolveFilters(profile, { threads: [0.5] })).toThrow(/no thread 0.5/);
  });
});

describe('the sums the load kept as it stored the samples', () => {
  it('answer every-sample queries, equal to a pass over the samples, for every event', () => {
    expect(loadSumsOf(profile)!.filter(Boolean)).toHaveLength(profile.events.length);
    for (let event = 0; event < profile.events.length; event++) {
      const every = resolveFilters(profile, { event });
      // the same samples in another thread order: summed by a pass over them
      const again = { ...every, threads: [...every.threads].reverse() };
      const kept = stackWeights(profile, every, 'period');
      expect(kept.weights).toBe(loadSumsOf(profile)![event]!.period);
      expect(kept).toEqual(stackWeights(profile, again, 'period'));
      expect(stackWeights(profile, every, 'samples')).toEqual(
        stackWeights(profile, again, 'samples'),
      );
      expect(stackStatusCounts(profile, every)).toEqual(stackStatusCounts(profile, again));
    }
    // the merged sample counts as merged, the others as classic
    const counts = stackStatusCounts(profile, resolveFilters(profile, {}));
    const byStatus = [0, 1, 2, 3].map((s) =>
      counts.filter((_, k) => k % 4 === s).reduce((a, b) => a + b),
    );
    expect(byStatus).toEqual([5, 1, 0, 0]);
  });
});
