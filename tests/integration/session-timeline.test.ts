import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MarkerRow } from '../../src/shared/contract';
import { OffCpuStackSource, checkProfile } from '../../src/shared/model';
import { loadProfile } from '../../src/session/model/model-builder';
import { speedscopeFile } from '../../src/session/export/speedscope';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import type { SessionService } from '../../src/session/service';
import { FIXTURES } from '../support/recordings';
import { context, exportText, fixtureSymbols, openFixture } from '../support/session';
import {
  oracleOffCpu,
  oracleSwitches,
  statsCount,
  timelineOracle,
  type OracleEvent,
} from '../support/timeline-oracle';

const ctx = context();

const opened = new Map<string, Promise<SessionService>>();

/** A session on a real recording, opened once per file (the queries do not change it). */
function open(name: string): Promise<SessionService> {
  let service = opened.get(name);
  if (!service) opened.set(name, (service = openFixture(`real/${name}/perf.data`)));
  return service;
}

/** The profile's time 0 as an absolute ns number (the oracle's clock). */
async function startOf(service: SessionService): Promise<number> {
  return Number((await service.summary(ctx)).meta.startTime);
}

function foldedTotal(text: string): number {
  return text
    .split('\n')
    .filter(Boolean)
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

// Off-CPU time from both kinds of sources, checked against perf's own account of the switches.
describe.each([
  ['switch-events', 'PERF_RECORD_SWITCH (per thread, --switch-events)', 'switch records'],
  ['offcpu-wide', 'PERF_RECORD_SWITCH_CPU_WIDE (-a --switch-events)', 'switch records'],
  ['sched-switch-wide', 'sched:sched_switch samples (-a -g)', 'sched_switch samples'],
] as const)('off-CPU time on %s: %s', (name, _what, source) => {
  const expected = oracleOffCpu(oracleSwitches(timelineOracle(name)));

  it('per thread: on-CPU, off-CPU, voluntary and preempted totals and interval counts equal perf script --show-switch-events', async () => {
    const service = await open(name);
    const threads = await service.threads(ctx);
    const withSwitches = threads.filter((t) => t.switches);
    expect(withSwitches.length).toBeGreaterThanOrEqual(5); // the workload's main and 4 workers
    for (const t of threads) {
      const want = expected.get(t.tid);
      if (!want || t.tid <= 0) {
        expect(t.switches).toBeUndefined();
        continue;
      }
      const got = t.switches!;
      expect(got.source).toBe(source);
      expect({
        tid: t.tid,
        intervals: got.intervals,
        offCpu: got.offCpu,
        voluntary: got.voluntary,
        preempted: got.preempted,
        onCpu: got.onCpu,
      }).toEqual({
        tid: t.tid,
        intervals: want.intervals.length,
        offCpu: want.offCpu,
        voluntary: want.voluntary,
        preempted: want.preempted,
        onCpu: want.onCpu,
      });
    }
    // both causes occur in every recording (the workload has mutex waits and more threads than CPUs)
    expect(withSwitches.some((t) => t.switches!.voluntary > 0)).toBe(true);
    expect(withSwitches.some((t) => t.switches!.preempted > 0)).toBe(true);
  });

  it('perfws collapse --weight off-cpu: its total is the sum of the intervals', async () => {
    const service = await open(name);
    const threads = await service.threads(ctx);
    let sum = 0;
    for (const t of threads) if (t.tid > 0) sum += expected.get(t.tid)?.offCpu ?? 0;
    expect(sum).toBeGreaterThan(1e8);
    const text = await exportText(service, { weight: 'off-cpu' });
    expect(foldedTotal(text)).toBe(sum);
    // per thread too (--tid names every line's thread)
    const perTid = new Map<number, number>();
    for (const l of (await exportText(service, { weight: 'off-cpu', tid: true }))
      .split('\n')
      .filter(Boolean)) {
      const tid = Number(/^[^;]*-\d+\/(\d+)[; ]/.exec(l)![1]);
      perTid.set(tid, (perTid.get(tid) ?? 0) + Number(l.slice(l.lastIndexOf(' ') + 1)));
    }
    for (const [tid, ns] of perTid) expect([tid, ns]).toEqual([tid, expected.get(tid)!.offCpu]);
  });

  it('the flame graph and call tree weigh off-CPU time; a time range clips the intervals', async () => {
    const service = await open(name);
    const start = await startOf(service);
    const graph = await service.flameGraph({ filters: {}, weight: 'off-cpu', width: 1000 }, ctx);
    const tree = await service.callTree({ filters: {}, weight: 'off-cpu', expanded: [] }, ctx);
    expect(graph.rootTotal).toBeGreaterThan(0);
    expect(tree.total).toBe(graph.rootTotal);
    // the middle third of the recording: each interval counts with its part inside the range
    const { duration } = (await service.summary(ctx)).meta;
    const [a, b] = [duration / 3, (2 * duration) / 3];
    const text = await exportText(service, {
      weight: 'off-cpu',
      filters: { range: { start: a, end: b } },
    });
    let clipped = 0;
    const tids = new Set((await service.threads(ctx)).map((t) => t.tid));
    for (const [tid, t] of expected) {
      if (!tids.has(tid)) continue;
      for (const i of t.intervals) {
        const s = Math.max(i.start - start, a);
        const e = Math.min(i.end - start, b);
        if (e > s) clipped += e - s;
      }
    }
    expect(clipped).toBeGreaterThan(0);
    expect(foldedTotal(text)).toBeCloseTo(clipped, 0);
  });
});

describe('which stack an off-CPU interval takes', () => {
  it('sched_switch recordings: the callchain of the sched_switch sample at the switch-out', async () => {
    const reader = PerfDataReader.open(join(FIXTURES, 'real/sched-switch-wide/perf.data'));
    const profile = await loadProfile(reader, {
      symbols: fixtureSymbols(join(FIXTURES, 'real/sched-switch-wide')),
    });
    reader.close();
    expect(checkProfile(profile)).toEqual([]);
    let checked = 0;
    for (const th of profile.threads) {
      const o = th.offCpu;
      for (let k = 0; o && k < o.length; k++) {
        expect(o.stackSource[k]).toBe(OffCpuStackSource.SCHED_SWITCH);
        // the thread's own sched_switch sample at that time holds the same stack
        const i = th.samples.time.indexOf(o.start[k]!);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(o.stack[k]).toBe(th.samples.stack[i]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // and perf's folded stacks of those samples hold every off-CPU line's stack
    const service = await open('sched-switch-wide');
    const oracle = new Set(
      readFileSync(join(FIXTURES, 'real/sched-switch-wide/oracle/folded.txt'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(0, l.lastIndexOf(' '))),
    );
    const lines = (await exportText(service, { weight: 'off-cpu' })).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(oracle).toContain(l.slice(0, l.lastIndexOf(' ')));
  });

  it('switch records without sched_switch samples: the thread’s last sample before the switch-out', async () => {
    const name = 'switch-events';
    const events = timelineOracle(name);
    const service = await open(name);
    const start = await startOf(service);
    const reader = PerfDataReader.open(join(FIXTURES, 'real', name, 'perf.data'));
    const profile = await loadProfile(reader, {
      symbols: fixtureSymbols(join(FIXTURES, 'real', name)),
    });
    reader.close();
    // the oracle: for each switch-out, the time of the same thread's last sample before it
    const lastSample = new Map<number, number>();
    const expectedAt = new Map<string, number | undefined>();
    for (const e of events) {
      if (e.rest.startsWith('cpu-clock:')) lastSample.set(e.tid, e.time);
      else if (e.rest.startsWith('PERF_RECORD_SWITCH OUT'))
        expectedAt.set(`${e.tid}@${e.time - start}`, lastSample.get(e.tid));
    }
    let withStack = 0;
    for (const th of profile.threads) {
      const o = th.offCpu;
      for (let k = 0; o && k < o.length; k++) {
        const key = `${th.tid}@${o.start[k]}`;
        expect(expectedAt.has(key)).toBe(true);
        const sampleTime = expectedAt.get(key);
        if (sampleTime === undefined) {
          expect(o.stackSource[k]).toBe(OffCpuStackSource.NONE);
          continue;
        }
        expect(o.stackSource[k]).toBe(OffCpuStackSource.LAST_SAMPLE);
        const i = th.samples.time.lastIndexOf(sampleTime - start);
        expect(o.stack[k]).toBe(th.samples.stack[i]);
        withStack++;
      }
    }
    expect(withStack).toBeGreaterThan(50);
    const summaries = (await service.threads(ctx)).filter((t) => t.switches);
    expect(summaries.every((t) => t.switches!.stackFromSchedSwitch === 0)).toBe(true);
    expect(summaries.reduce((n, t) => n + t.switches!.stackFromLastSample, 0)).toBe(withStack);
  });
});

describe('the integrity checker covers the timeline tables', () => {
  it('finds overlapping intervals, switches out of order, stacks and markers out of range', async () => {
    const reader = PerfDataReader.open(join(FIXTURES, 'real/switch-events/perf.data'));
    const profile = await loadProfile(reader, {
      symbols: fixtureSymbols(join(FIXTURES, 'real/switch-events')),
    });
    reader.close();
    expect(checkProfile(profile)).toEqual([]);
    const t = profile.threads.findIndex((th) => (th.offCpu?.length ?? 0) > 2);
    const th = profile.threads[t]!;
    const o = th.offCpu!;
    const sw = th.switches!;
    const m = profile.markers!;
    const saved: [number, number, number, number, number] = [
      o.start[1]!,
      sw.time[1]!,
      sw.stack[0]!,
      m.thread[0]!,
      m.text[0]!,
    ];
    o.start[1] = o.end[0]! - 1;
    sw.time[1] = sw.time[0]! - 1;
    sw.stack[0] = profile.stacks.length;
    m.thread[0] = profile.threads.length;
    m.text[0] = profile.strings.length;
    expect(checkProfile(profile)).toEqual([
      `thread ${t}: switch 0 stack out of range`,
      `thread ${t}: switch 1 is out of order`,
      `thread ${t}: off-CPU interval 1 overlaps the one before`,
      'marker 0: thread out of range',
      'marker 0: text out of range',
    ]);
    [o.start[1], sw.time[1], sw.stack[0], m.thread[0], m.text[0]] = saved;
    expect(checkProfile(profile)).toEqual([]);
  });
});

describe('per-CPU tracks', () => {
  const name = 'offcpu-wide';
  const samples = timelineOracle(name).filter((e) => e.rest.startsWith('cpu-clock:'));

  it('one track per CPU with the samples perf script puts on it, and the thread that ran most', async () => {
    const service = await open(name);
    const threads = await service.threads(ctx);
    const answer = await service.cpuTracks({ filters: {}, bins: 1 }, ctx);
    const perCpu = new Map<number, Map<number, number>>();
    for (const e of samples) {
      const m = perCpu.get(e.cpu) ?? new Map<number, number>();
      perCpu.set(e.cpu, m.set(e.tid, (m.get(e.tid) ?? 0) + 1));
    }
    expect(answer.rows.map((r) => r.cpu)).toEqual([...perCpu.keys()].sort((a, b) => a - b));
    expect(answer.rows.length).toBe(2);
    for (const r of answer.rows) {
      const m = perCpu.get(r.cpu)!;
      expect(r.total).toBe([...m.values()].reduce((a, b) => a + b, 0));
      const most = Math.max(...m.values());
      expect(m.get(threads[r.thread[0]!]!.tid)).toBe(most);
    }
  });

  it('the CPU filter keeps only that CPU’s samples in every view', async () => {
    const service = await open(name);
    const onCpu1 = samples.filter((e) => e.cpu === 1).length;
    expect(onCpu1).toBeGreaterThan(0);
    expect(onCpu1).toBeLessThan(samples.length);
    const filters = { cpus: [1] };
    const graph = await service.flameGraph({ filters, weight: 'samples', width: 1000 }, ctx);
    expect(graph.rootTotal).toBe(onCpu1);
    const tl = await service.timeline({ filters, bins: 50, weight: 'samples' }, ctx);
    expect(tl.rows.reduce((n, r) => n + r.total, 0)).toBe(onCpu1);
    // the call tree's node marked on the tracks: its samples on that CPU only
    const root = await service.callTree({ filters, weight: 'samples', expanded: [] }, ctx);
    const path = [root.func[0]!];
    const marked = await service.timeline(
      { filters, bins: 50, weight: 'samples', highlight: { path } },
      ctx,
    );
    const markedTotal = marked.rows.reduce(
      (n, r) => n + r.highlight!.reduce((a, b) => a + b, 0),
      0,
    );
    expect(markedTotal).toBe(root.nodeTotal[0]);
    // the exports too (pprof and speedscope share the sample grouping)
    const reader = PerfDataReader.open(join(FIXTURES, `real/${name}/perf.data`));
    const profile = await loadProfile(reader, {
      symbols: fixtureSymbols(join(FIXTURES, `real/${name}`)),
    });
    reader.close();
    const file = speedscopeFile(profile, { filters });
    const exported = file.profiles.reduce((n, p) => n + p.samples.length, 0);
    expect(exported).toBeGreaterThan(0);
    expect(exported).toBeLessThanOrEqual(onCpu1);
    const all = speedscopeFile(profile, { filters: {} }).profiles.reduce(
      (n, p) => n + p.weights.reduce((a, b) => a + b, 0),
      0,
    );
    const one = file.profiles.reduce((n, p) => n + p.weights.reduce((a, b) => a + b, 0), 0);
    expect(one).toBeLessThan(all);
    expect(one).toBe((await service.flameGraph({ filters, width: 1000 }, ctx)).rootTotal);
    const folded = await exportText(service, { weight: 'samples', filters });
    expect(foldedTotal(folded)).toBe(onCpu1);
    const threads = await service.threads(ctx);
    let listed = 0;
    for (const t of threads) {
      listed += (await service.samples({ thread: t.index, filters, offset: 0, limit: 1 }, ctx))
        .total;
    }
    expect(listed).toBe(onCpu1);
  });

  it('a recording without the CPU field has no CPU tracks', async () => {
    const service = await open('switch-events');
    expect((await service.cpuTracks({ filters: {}, bins: 10 }, ctx)).rows).toEqual([]);
  });
});

/** Markers of one kind, one by one, over the whole recording. */
async function markerRows(service: SessionService, kind: MarkerRow['kind']): Promise<MarkerRow[]> {
  const answer = await service.markers({ filters: {}, bins: 100, kinds: [kind] }, ctx);
  expect(answer.aggregated).toBe(false);
  return answer.rows;
}

const recordLines = (events: OracleEvent[], prefix: string): OracleEvent[] =>
  events.filter((e) => e.rest.startsWith(prefix) && e.time > 0);

describe('markers, each kind on a real recording, as perf script shows the records', () => {
  it('lost events (PERF_RECORD_LOST, with counts) and lost samples', async () => {
    const events = timelineOracle('lost-forks');
    const lost = recordLines(events, 'PERF_RECORD_LOST lost ');
    expect(lost.length).toBe(15);
    const service = await open('lost-forks');
    const start = await startOf(service);
    const rows = await markerRows(service, 'lost-events');
    expect(rows.map((r) => [r.time, r.tid, r.count])).toEqual(
      lost.map((e) => [e.time - start, e.tid, Number(e.rest.split(' ').pop())]),
    );
    expect(rows[0]!.label).toBe(`${rows[0]!.count} lost events`);
    // PERF_RECORD_LOST_SAMPLES: perf record writes the count at the end, without a time
    const lostSamples = await markerRows(service, 'lost-samples');
    expect(lostSamples.map((r) => r.count)).toEqual([
      statsCount('lost-forks', 'cpu-clock', 'LOST_SAMPLES'),
    ]);
    expect(lostSamples[0]!.count).toBe(321);
    const { meta } = await service.summary(ctx);
    expect(lostSamples[0]!.time).toBe(meta.duration);
  });

  it('thread renames (COMM) on their threads’ tracks, and thread names over time', async () => {
    for (const name of ['lost-forks', 'taskclock-fixed-threads']) {
      const events = timelineOracle(name);
      const renames = recordLines(events, 'PERF_RECORD_COMM: ');
      expect(renames.length).toBeGreaterThanOrEqual(4);
      const service = await open(name);
      const start = await startOf(service);
      const threads = await service.threads(ctx);
      const rows = await markerRows(service, 'comm');
      expect(rows.map((r) => [r.time, r.tid, r.label])).toEqual(
        renames.map((e) => [e.time - start, e.tid, `renamed: ${e.comm}`]),
      );
      for (const r of rows) {
        const t = threads.find((th) => th.tid === r.tid);
        if (t) expect(r.thread).toBe(t.index);
      }
      expect(rows.filter((r) => r.thread >= 0).length).toBeGreaterThanOrEqual(4);
    }
  });

  it('exec (COMM with the exec flag)', async () => {
    const events = timelineOracle('forkexec');
    const execs = recordLines(events, 'PERF_RECORD_COMM exec: ');
    expect(execs.length).toBeGreaterThanOrEqual(3);
    const service = await open('forkexec');
    const start = await startOf(service);
    const rows = await markerRows(service, 'exec');
    expect(rows.map((r) => [r.time, r.pid, r.tid, r.label])).toEqual(
      execs.map((e) => [e.time - start, e.pid, e.tid, `exec: ${e.comm}`]),
    );
    // the first exec comes before the first sample (time 0): a view of the whole recording, as
    // the timeline asks for it, still has it, in its first column
    expect(rows[0]!.time).toBeLessThan(0);
    const { duration } = (await service.summary(ctx)).meta;
    const view = await service.markers(
      { filters: { range: { start: 0, end: duration + 1 } }, bins: 100, kinds: ['exec'] },
      ctx,
    );
    expect(view.rows.map((r) => r.time)).toEqual(rows.map((r) => r.time));
    expect(view.lanes[0]!.bins[0]).toBeGreaterThanOrEqual(1);
    const later = await service.markers(
      { filters: { range: { start: 1, end: duration + 1 } }, bins: 100, kinds: ['exec'] },
      ctx,
    );
    expect(later.rows.map((r) => r.time)).toEqual(
      rows.filter((r) => r.time >= 1).map((r) => r.time),
    );
  });

  it('mmap of executable files while recording (dlopen of libplugin.so, twice)', async () => {
    const events = timelineOracle('dlopen');
    const maps = events.filter((e) => /^PERF_RECORD_MMAP2? .*\]: r?-?x\S* \//.test(e.rest));
    const service = await open('dlopen');
    const start = await startOf(service);
    const rows = await markerRows(service, 'mmap');
    expect(rows.map((r) => [r.time, r.detail])).toEqual(
      maps
        .filter((e) => e.time > 0)
        .map((e) => [e.time - start, e.rest.slice(e.rest.indexOf(' /') + 1)]),
    );
    expect(rows.filter((r) => r.detail === '/tmp/perfreal/bin/libplugin.so').length).toBe(2);
    expect(rows.map((r) => r.label)).toContain('mmap: libplugin.so');
  });

  it('tracepoint events with their formatted fields', async () => {
    const events = timelineOracle('tracepoint-sched');
    const tps = events.filter((e) => /^sched:\w+: /.test(e.rest));
    expect(tps.length).toBe(34);
    const service = await open('tracepoint-sched');
    const start = await startOf(service);
    const rows = await markerRows(service, 'tracepoint');
    expect(rows.map((r) => [r.time, r.cpu, `${r.label}: ${r.detail}`])).toEqual(
      tps.map((e) => [e.time - start, e.cpu, e.rest.trimEnd()]),
    );
  });

  it('context switches per thread track, one by one when they are far enough apart', async () => {
    const name = 'switch-events';
    const switches = oracleSwitches(timelineOracle(name));
    const service = await open(name);
    const threads = await service.threads(ctx);
    const wide = await service.markers({ filters: {}, bins: 16384, kinds: ['switch'] }, ctx);
    const narrow = await service.markers({ filters: {}, bins: 20, kinds: ['switch'] }, ctx);
    for (const t of threads) {
      const want = switches.filter((s) => s.tid === t.tid).length;
      const w = wide.switches.find((s) => s.thread === t.index)!;
      const n = narrow.switches.find((s) => s.thread === t.index)!;
      expect([t.tid, w.total, n.total]).toEqual([t.tid, want, want]);
      expect(w.rows?.length).toBe(want);
      expect(n.rows).toBeUndefined(); // 20 columns: aggregated
      expect([...n.bins].reduce((a, b) => a + b, 0)).toBe(want);
    }
    expect(wide.lanes).toEqual([]); // only switches were asked for
  });

  it('the markers of a thread selection, and too many markers aggregated', async () => {
    const service = await open('sched-switch-wide');
    const all = await service.markers({ filters: {}, bins: 100, kinds: ['tracepoint'] }, ctx);
    expect(all.rows.length).toBe(184);
    const few = await service.markers(
      { filters: {}, bins: 100, kinds: ['tracepoint'], limit: 10 },
      ctx,
    );
    expect(few.aggregated).toBe(true);
    expect(few.rows).toEqual([]);
    expect(few.lanes[0]!.total).toBe(184);
    const threads = await service.threads(ctx);
    const wk = threads.find((t) => t.name === 'wk-hash')!;
    const one = await service.markers(
      { filters: { threads: [wk.index] }, bins: 100, kinds: ['tracepoint'] },
      ctx,
    );
    expect(one.rows.length).toBe(
      timelineOracle('sched-switch-wide').filter(
        (e) => e.tid === wk.tid && e.rest.startsWith('sched:'),
      ).length,
    );
  });
});

describe('the sample under the cursor', () => {
  it('is the nearest sample the list shows, with the top of its merged stack and its list row', async () => {
    const service = await open('switch-events');
    const start = await startOf(service);
    const threads = await service.threads(ctx);
    const t = threads.find((th) => th.name === 'wk-matmul')!;
    const times = timelineOracle('switch-events')
      .filter((e) => e.tid === t.tid && e.rest.startsWith('cpu-clock:'))
      .map((e) => e.time - start);
    expect(times.length).toBeGreaterThan(20);
    for (const k of [0, 7, times.length - 1]) {
      // a little after sample k (nearer k than k+1) and a little before it
      const next = times[k + 1] ?? times[k]! + 1e6;
      for (const at of [times[k]! + (next - times[k]!) * 0.4, times[k]! - 10]) {
        const hit = (await service.sampleAt({ thread: t.index, time: at, filters: {} }, ctx))!;
        expect(hit.time).toBe(times[k]);
        expect(hit.tid).toBe(t.tid);
        expect(hit.row).toBe(k);
        const page = await service.samples(
          { thread: t.index, filters: {}, offset: hit.row, limit: 1 },
          ctx,
        );
        expect(page.rows[0]!.index).toBe(hit.index);
        const full = await service.callchain(hit.stack, ctx);
        expect(hit.depth).toBe(full.length);
        expect(hit.frames).toEqual(full.slice(0, hit.frames.length));
      }
    }
    const few = (await service.sampleAt(
      { thread: t.index, time: times[3]!, filters: {}, maxFrames: 2 },
      ctx,
    ))!;
    expect(few.frames.length).toBe(2);
    expect(few.depth).toBeGreaterThan(2);
  });

  it('answers null where the thread has no sample under the filters', async () => {
    const service = await open('offcpu-wide');
    const threads = await service.threads(ctx);
    const none = await service.sampleAt(
      { thread: threads[0]!.index, time: 0, filters: { range: { start: 0, end: 1 }, cpus: [7] } },
      ctx,
    );
    expect(none).toBeNull();
  });
});
