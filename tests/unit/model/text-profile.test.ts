/** The text-profile helper builds the model its text describes (through the real loader). */
import { describe, expect, it } from 'vitest';
import { checkProfile, MergeStatus } from '../../../src/shared/model';
import { callchain } from '../../../src/session/query/samples';
import { textProfile } from '../../support/text-profile';

describe('textProfile', () => {
  it('gives each line its samples, thread, time, event, period, cpu and frames', async () => {
    const { profile } = await textProfile(`
      app;main;work;hash 2 t=0 step=5
      app;main;read;sys_read_[k];copy_[k] 1 t=20 cpu=3
      worker;main;spin 1 t=30 thread=100/101 event=task-clock period=250
    `);
    expect(checkProfile(profile)).toEqual([]);
    expect(profile.events.map((e) => [e.name, e.samples, e.totalPeriod, e.periodIsTime])).toEqual([
      ['cpu-clock', 3, 3, true],
      ['task-clock', 1, 250, true],
    ]);
    const [app, worker] = profile.threads;
    expect([app!.pid, app!.tid, app!.name, worker!.tid, worker!.name, worker!.processName]).toEqual(
      [100, 100, 'app', 101, 'worker', 'app'],
    );
    expect([...app!.samples.time]).toEqual([0, 5, 20]);
    expect([...app!.samples.cpu]).toEqual([0, 0, 3]);
    const frames = callchain(profile, app!.samples.stack[2]!);
    expect(frames.map((f) => `${f.name} ${f.kind}`)).toEqual([
      'copy kernel',
      'sys_read kernel',
      'read user',
      'main user',
    ]);
    expect(frames.map((f) => f.lib)).toEqual([
      '[kernel.kallsyms]',
      '[kernel.kallsyms]',
      'prog',
      'prog',
    ]);
    expect([...worker!.samples.time]).toEqual([30]);
    expect([...worker!.samples.period]).toEqual([250]);
    expect([...worker!.samples.event]).toEqual([1]);
  });

  it('records deferred user stacks that the merge merges, mismatches or leaves waiting', async () => {
    const { profile } = await textProfile(`
      app;main;f;sys_[k] 2 t=0 merge=merged
      app;main;g 1 t=20 merge=mismatch
      app;main;h 1 t=30
      app;main;k;sys_[k] 1 t=40 merge=end
    `);
    expect(profile.meta.merge).toMatchObject({
      deferredSamples: 4,
      merged: 2,
      unmergedCookieMismatch: 1,
      unmergedEndOfSession: 1,
    });
    const s = profile.threads[0]!.samples;
    expect([...s.status]).toEqual([
      MergeStatus.MERGED,
      MergeStatus.MERGED,
      MergeStatus.UNMERGED_COOKIE_MISMATCH,
      MergeStatus.CLASSIC,
      MergeStatus.UNMERGED_END_OF_SESSION,
    ]);
    const names = (stack: number): string =>
      callchain(profile, stack)
        .map((f) => f.name)
        .join(' < ');
    expect(names(s.stack[0]!)).toBe('sys < f < main');
    expect(names(s.rawStack[0]!)).toBe('sys < [deferred user stack]');
    expect(names(s.stack[2]!)).toBe('[user stack unavailable: cookie mismatch]');
    expect(names(s.stack[4]!)).toBe('sys < [user stack unavailable: the recording ended first]');
    expect(profile.threads[0]!.deferredRecords.length).toBe(3);
  });

  it('puts name@lib functions in their own library, mapped beside the program', async () => {
    const { profile } = await textProfile('app;main;qsort@libc.so.6;cmp;memcmp@libc.so.6 2');
    const frames = callchain(profile, profile.threads[0]!.samples.stack[0]!);
    expect(frames.map((f) => `${f.name} ${f.lib}`)).toEqual([
      'memcmp libc.so.6',
      'cmp prog',
      'qsort libc.so.6',
      'main prog',
    ]);
  });

  it('says what is wrong with a line', async () => {
    await expect(textProfile('app;main;sys_[k];f 1')).rejects.toThrow(/line 1 .*innermost/);
    await expect(textProfile('app;main')).rejects.toThrow(/STACK COUNT/);
    await expect(textProfile('app;main 1 colour=red')).rejects.toThrow(/unknown key colour/);
    await expect(textProfile('app;main 1 merge=maybe')).rejects.toThrow(/merge= takes/);
    await expect(textProfile('app;a 1 t=0 merge=end\napp;b 1 t=10 merge=merged')).rejects.toThrow(
      /merge=end sample at t=0 before a merge=merged one/,
    );
  });
});
