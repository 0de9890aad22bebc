import type { CpuTracksAnswer, CpuTracksQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { DROPPED } from './func-stacks';

/** CPUs answered at most (a file controls the CPU numbers): the first ones the samples name. */
export const MAX_CPU_TRACKS = 1024;

interface CpuRow {
  counts: Float64Array;
  /** The thread with the most samples in each bin so far, and its count. */
  thread: Int32Array;
  best: Float64Array;
  /** This thread's counts per bin (scratch, reset after each thread). */
  own: Float64Array;
}

/**
 * One track per CPU the samples name: samples per pixel column and, per column, the thread with
 * the most samples there (what ran on that CPU; the first such thread on a tie). Empty for
 * recordings without the CPU field. The filters' event, threads, range, CPUs and transforms
 * apply (a dropped sample is not drawn). Memory is CPUs × bins: threads are counted one at a
 * time, each against the best so far.
 */
export function cpuTracks(profile: Profile, q: CpuTracksQuery): CpuTracksAnswer {
  const f = resolveFilters(profile, q.filters);
  // the CPU field is in every sample or in none (sample_type): answer at once without it
  if (!profile.threads.some((th) => th.samples.length > 0 && th.samples.cpu[0]! >= 0)) {
    return { start: 0, end: 0, rows: [], max: 0 };
  }
  const table = stacksOf(profile, f);
  const start = Number.isFinite(f.start) ? f.start : 0;
  const end = Number.isFinite(f.end) ? f.end : profile.meta.duration + 1;
  const bins = Math.max(1, Math.floor(q.bins));
  const width = (end - start) / bins;
  const perCpu = new Map<number, CpuRow>();
  const touched: { row: CpuRow; bin: number }[] = [];
  for (const t of f.threads) {
    const s = profile.threads[t]!.samples;
    const stacks = f.merge ? s.stack : s.rawStack;
    const [first, last] = sampleRange(s.time, start, end);
    for (let i = first; i < last; i++) {
      const cpu = s.cpu[i]!;
      if (cpu < 0 || s.event[i] !== f.event) continue;
      if (f.cpus && !f.cpus.has(cpu)) continue;
      const st = stacks[i]!;
      if (table.drops && st >= 0 && table.ofStack[st] === DROPPED) continue;
      let row = perCpu.get(cpu);
      if (!row) {
        if (perCpu.size >= MAX_CPU_TRACKS) continue;
        row = {
          counts: new Float64Array(bins),
          thread: new Int32Array(bins).fill(-1),
          best: new Float64Array(bins),
          own: new Float64Array(bins),
        };
        perCpu.set(cpu, row);
      }
      const b = Math.min(bins - 1, Math.floor((s.time[i]! - start) / width));
      row.counts[b]!++;
      if (row.own[b]!++ === 0) touched.push({ row, bin: b });
    }
    for (const { row, bin } of touched) {
      if (row.own[bin]! > row.best[bin]!) {
        row.best[bin] = row.own[bin]!;
        row.thread[bin] = t;
      }
      row.own[bin] = 0;
    }
    touched.length = 0;
  }
  let max = 0;
  const rows = [...perCpu.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cpu, row]) => {
      let total = 0;
      for (let b = 0; b < bins; b++) {
        total += row.counts[b]!;
        if (row.counts[b]! > max) max = row.counts[b]!;
      }
      return { cpu, bins: row.counts, thread: row.thread, total };
    });
  return { start, end, rows, max };
}
