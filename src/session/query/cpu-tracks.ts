import type { CpuTracksAnswer, CpuTracksQuery } from '../../shared/contract';
import type { Profile } from '../../shared/model';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { DROPPED } from './func-stacks';

/** CPUs answered at most (a file controls the CPU numbers). */
export const MAX_CPU_TRACKS = 1024;

/**
 * One track per CPU the samples name: samples per pixel column and, per column, the thread with
 * the most samples there (what ran on that CPU). Empty for recordings without the CPU field.
 * The filters' event, threads, range and transforms apply (a dropped sample is not drawn).
 */
export function cpuTracks(profile: Profile, q: CpuTracksQuery): CpuTracksAnswer {
  const f = resolveFilters(profile, q.filters);
  const table = stacksOf(profile, f);
  const start = Number.isFinite(f.start) ? f.start : 0;
  const end = Number.isFinite(f.end) ? f.end : profile.meta.duration + 1;
  const bins = Math.max(1, Math.min(Math.floor(q.bins), 4096));
  const width = (end - start) / bins;
  const perCpu = new Map<number, { counts: Float64Array; byThread: Map<number, Float64Array> }>();
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
      let c = perCpu.get(cpu);
      if (!c) {
        if (perCpu.size >= MAX_CPU_TRACKS) continue;
        perCpu.set(cpu, (c = { counts: new Float64Array(bins), byThread: new Map() }));
      }
      const b = Math.min(bins - 1, Math.floor((s.time[i]! - start) / width));
      c.counts[b]!++;
      let own = c.byThread.get(t);
      if (!own) c.byThread.set(t, (own = new Float64Array(bins)));
      own[b]!++;
    }
  }
  let max = 0;
  const rows = [...perCpu.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cpu, c]) => {
      const thread = new Int32Array(bins).fill(-1);
      const best = new Float64Array(bins);
      for (const [t, own] of c.byThread) {
        for (let b = 0; b < bins; b++) {
          if (own[b]! > best[b]!) {
            best[b] = own[b]!;
            thread[b] = t;
          }
        }
      }
      let total = 0;
      for (let b = 0; b < bins; b++) {
        total += c.counts[b]!;
        if (c.counts[b]! > max) max = c.counts[b]!;
      }
      return { cpu, bins: c.counts, thread, total };
    });
  return { start, end, rows, max };
}
