import { describe, expect, it } from 'vitest';
import { OffCpuStackSource, type SampleTable, type SwitchTable } from '../../../src/shared/model';
import { offCpuIntervals } from '../../../src/session/model/off-cpu-intervals';

/** A thread's switches from a description: `out@10 in@20` (`out!` carries a sched_switch stack 7). */
function switches(text: string): SwitchTable {
  const rows = text.split(' ').map((w) => /^(out|in)(!?)@(\d+)$/.exec(w)!);
  const n = rows.length;
  return {
    length: n,
    time: Float64Array.from(rows, (m) => Number(m[3])),
    out: Uint8Array.from(rows, (m) => (m[1] === 'out' ? 1 : 0)),
    cause: new Uint8Array(n),
    cpu: new Int32Array(n),
    stack: Int32Array.from(rows, (m) => (m[2] ? 7 : -1)),
    rawStack: Int32Array.from(rows, (m) => (m[2] ? 7 : -1)),
  };
}

/** Samples at these times, sample k on stack 100 + k. */
function samples(...times: number[]): SampleTable {
  const n = times.length;
  return {
    length: n,
    time: Float64Array.from(times),
    stack: Int32Array.from(times, (_, k) => 100 + k),
    rawStack: Int32Array.from(times, (_, k) => 100 + k),
  } as unknown as SampleTable;
}

const spans = (t: ReturnType<typeof offCpuIntervals>): string[] =>
  Array.from({ length: t.length }, (_, k) => `${t.start[k]}-${t.end[k]}:${t.stack[k]}`);

describe('off-CPU intervals (issue 13: a switch-out lasts until the thread’s next switch-in)', () => {
  it('an interval per switch-out that a switch-in follows; none for a trailing switch-out', () => {
    const t = offCpuIntervals(switches('in@0 out@10 in@25 out@40 in@41 out@50'), samples(5, 30));
    expect(spans(t)).toEqual(['10-25:100', '40-41:101']);
  });

  it('two switch-outs in a row (the switch-in was not recorded): the later one starts it', () => {
    const t = offCpuIntervals(switches('out@10 out@20 in@30'), samples(1));
    expect(spans(t)).toEqual(['20-30:100']);
  });

  it('the sched_switch callchain wins over the last sample; no sample before: no stack', () => {
    const t = offCpuIntervals(switches('out!@10 in@12 out@20 in@21'), samples(15));
    expect(spans(t)).toEqual(['10-12:7', '20-21:100']);
    expect([...t.stackSource]).toEqual([
      OffCpuStackSource.SCHED_SWITCH,
      OffCpuStackSource.LAST_SAMPLE,
    ]);
    const none = offCpuIntervals(switches('out@10 in@12'), samples(11));
    expect([...none.stackSource]).toEqual([OffCpuStackSource.NONE]);
    expect(spans(none)).toEqual(['10-12:-1']);
  });

  it('a sample at the very time of the switch-out counts as before it', () => {
    expect(spans(offCpuIntervals(switches('out@10 in@12'), samples(3, 10, 11)))).toEqual([
      '10-12:101',
    ]);
  });
});
