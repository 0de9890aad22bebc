import {
  OffCpuStackSource,
  type OffCpuTable,
  type SampleTable,
  type SwitchTable,
} from '../../shared/model';

/**
 * A thread's off-CPU intervals (issue 13's definition): each switch-out lasts until the thread's
 * next switch-in. A switch-out followed by another switch-out (its switch-in was not recorded,
 * e.g. sched_switch samples filtered in the kernel) or by nothing (the thread exited, the
 * recording ended) starts no interval. Each interval takes the stack at the switch-out: the
 * sched_switch sample's callchain where there is one, else the stack of the thread's last
 * sample at or before the switch-out.
 */
export function offCpuIntervals(sw: SwitchTable, samples: SampleTable): OffCpuTable {
  const starts: number[] = [];
  const ends: number[] = [];
  const outs: number[] = [];
  let pending = -1;
  for (let i = 0; i < sw.length; i++) {
    if (sw.out[i]) pending = i;
    else if (pending >= 0) {
      starts.push(sw.time[pending]!);
      ends.push(sw.time[i]!);
      outs.push(pending);
      pending = -1;
    }
  }
  const n = starts.length;
  const table: OffCpuTable = {
    length: n,
    start: Float64Array.from(starts),
    end: Float64Array.from(ends),
    cause: new Uint8Array(n),
    cpu: new Int32Array(n),
    stack: new Int32Array(n),
    rawStack: new Int32Array(n),
    stackSource: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const o = outs[k]!;
    table.cause[k] = sw.cause[o]!;
    table.cpu[k] = sw.cpu[o]!;
    if (sw.stack[o]! >= 0 || sw.rawStack[o]! >= 0) {
      table.stack[k] = sw.stack[o]!;
      table.rawStack[k] = sw.rawStack[o]!;
      table.stackSource[k] = OffCpuStackSource.SCHED_SWITCH;
      continue;
    }
    const last = lastAtOrBefore(samples.time, sw.time[o]!);
    table.stack[k] = last >= 0 ? samples.stack[last]! : -1;
    table.rawStack[k] = last >= 0 ? samples.rawStack[last]! : -1;
    table.stackSource[k] = last >= 0 ? OffCpuStackSource.LAST_SAMPLE : OffCpuStackSource.NONE;
  }
  return table;
}

/** Index of the last time at or before `t` (times sorted), -1 when none is. */
function lastAtOrBefore(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
