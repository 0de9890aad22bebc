import { beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/shared/model';
import { flameChart, samplingInterval } from '../../../src/session/query/flame-chart';
import { flameChartText } from '../../support/query-text';
import { textProfile } from '../../support/text-profile';

let profile: Profile;
beforeAll(async () => {
  // sampled every 100 ns; work runs, the thread sleeps 20 intervals, work runs again, then
  // one sample is missed (a 200 ns gap) inside spin
  ({ profile } = await textProfile(`
    app;main;work 3 t=0 step=100
    app;main;work 2 t=2300 step=100
    app;main;spin 2 t=2500 step=100
    app;main;spin 2 t=2800 step=100
  `));
});

describe('the flame chart', () => {
  it("finds the thread's sampling interval (the median gap)", () => {
    const s = profile.threads[0]!.samples;
    expect(samplingInterval(s.time, s.event, 0)).toBe(100);
  });

  it('ends boxes one interval after the last sample before an idle stretch', () => {
    expect(flameChartText(flameChart(profile, { thread: 0, filters: {}, width: 1000 }))).toEqual([
      '0 main 0-300',
      '0 main 2300-2901',
      '1 work 0-300',
      '1 work 2300-2500',
      // a gap of two intervals (one missed sample) keeps the box; the last ends with the recording
      '1 spin 2500-2901',
    ]);
  });
});
