import { describe, expect, it } from 'vitest';
import type {
  CpuTracksAnswer,
  MarkerRow,
  MarkersAnswer,
  SampleAtAnswer,
} from '../../src/shared/contract';
import {
  MARKER_COLORS,
  drawCpuTrack,
  drawMarkerLane,
  drawOffCpu,
  drawRenames,
  drawSwitches,
  renamesOf,
} from '../../src/renderer/charts/timeline-overlays-draw';
import { hoverStackTooltip } from '../../src/renderer/model/hover-stack';
import {
  MARKER_ROW_HEIGHT,
  hitMarker,
  laneRows,
  markerTooltip,
  rangeAroundHit,
} from '../../src/renderer/model/marker-lane';
import { RecordingContext } from './fake-canvas';

const view = { start: 0, end: 400 };

function marker(kind: MarkerRow['kind'], time: number, extra: Partial<MarkerRow> = {}): MarkerRow {
  return {
    kind,
    time,
    thread: 2,
    pid: 10,
    tid: 11,
    cpu: 1,
    count: 0,
    label: kind,
    detail: '',
    ...extra,
  };
}

/** Two exec markers and a tracepoint over [0, 400), listed one by one. */
const listed: MarkersAnswer = {
  start: 0,
  end: 400,
  lanes: [
    { kind: 'exec', bins: Uint32Array.from([1, 0, 0, 1]), total: 2 },
    { kind: 'tracepoint', bins: Uint32Array.from([0, 1, 0, 0]), total: 1 },
  ],
  rows: [
    marker('exec', 50, { label: 'exec: sh' }),
    marker('tracepoint', 150, { label: 'sched:sched_switch', detail: 'prev_comm=a' }),
    marker('exec', 390, { label: 'exec: threads' }),
  ],
  aggregated: false,
  switches: [],
};

describe('the marker lane', () => {
  it('has a row per kind present, in a fixed order', () => {
    expect(laneRows(listed)).toEqual(['exec', 'tracepoint']);
    expect(laneRows(undefined)).toEqual([]);
  });

  it('keeps a row for every kind of the whole recording, whatever the view has', () => {
    // the view's answer has only the exec markers; the whole recording has a tracepoint too
    const view: MarkersAnswer = { ...listed, lanes: [listed.lanes[0]!], rows: [listed.rows[0]!] };
    const whole: MarkersAnswer = { ...listed, rows: [], aggregated: true };
    expect(laneRows(view)).toEqual(['exec']);
    expect(laneRows(whole, view)).toEqual(['exec', 'tracepoint']);
    expect(laneRows(undefined, view)).toEqual(['exec']);
    // hits follow the rows drawn: the exec row is the first of the whole recording's rows
    const rows = laneRows(whole, view);
    expect(hitMarker(view, { start: 0, end: 400 }, 400, 50, MARKER_ROW_HEIGHT / 2, rows)).toEqual({
      kind: 'marker',
      row: listed.rows[0],
    });
    expect(
      hitMarker(view, { start: 0, end: 400 }, 400, 150, MARKER_ROW_HEIGHT * 1.5, rows),
    ).toBeUndefined();
  });

  it('finds the marker under the pointer on its kind’s row, within a few pixels', () => {
    const execRow = MARKER_ROW_HEIGHT / 2;
    const tpRow = MARKER_ROW_HEIGHT * 1.5;
    expect(hitMarker(listed, view, 400, 53, execRow)).toEqual({
      kind: 'marker',
      row: listed.rows[0],
    });
    expect(hitMarker(listed, view, 400, 388, execRow)).toMatchObject({ row: { time: 390 } });
    expect(hitMarker(listed, view, 400, 60, execRow)).toBeUndefined(); // 10 px away
    expect(hitMarker(listed, view, 400, 150, execRow)).toBeUndefined(); // a tracepoint's time
    expect(hitMarker(listed, view, 400, 150, tpRow)).toMatchObject({ row: { time: 150 } });
    expect(hitMarker(listed, view, 400, 150, MARKER_ROW_HEIGHT * 2.5)).toBeUndefined();
    // zoomed in 4 times on [0, 100): the marker at 50 is at x 200
    expect(hitMarker(listed, { start: 0, end: 100 }, 400, 201, execRow)).toMatchObject({
      row: { time: 50 },
    });
  });

  it('aggregated: the column under the pointer, with its count and range', () => {
    const aggregated = { ...listed, rows: [], aggregated: true };
    const hit = hitMarker(aggregated, view, 400, 320, MARKER_ROW_HEIGHT / 2);
    expect(hit).toEqual({ kind: 'bin', marker: 'exec', count: 1, range: { start: 300, end: 400 } });
    expect(hitMarker(aggregated, view, 400, 150, MARKER_ROW_HEIGHT / 2)).toBeUndefined();
    expect(rangeAroundHit(hit!, view, 400)).toEqual({ start: 300, end: 400 });
    expect(markerTooltip(hit!, () => undefined).title).toBe('1 exec');
  });

  it('a click selects the time around a marker: 8 pixels each side, at least 1 µs', () => {
    const hit = { kind: 'marker' as const, row: marker('comm', 5_000_000) };
    expect(rangeAroundHit(hit, { start: 0, end: 400_000_000 }, 400)).toEqual({
      start: 5_000_000 - 8_000_000,
      end: 5_000_000 + 8_000_000,
    });
    expect(rangeAroundHit(hit, { start: 0, end: 400 }, 400)).toEqual({
      start: 5_000_000 - 1000,
      end: 5_000_000 + 1000,
    });
  });

  it('tooltips name the marker, its thread and CPU, counts and details', () => {
    const tp = markerTooltip({ kind: 'marker', row: listed.rows[1]! }, (t) =>
      t === 2 ? 'wk-hash' : undefined,
    );
    expect(tp).toEqual({
      title: 'sched:sched_switch',
      subtitle: 'Tracepoints',
      lines: [
        { label: 'time', value: '0.000000 s' },
        { label: 'thread', value: 'wk-hash 10/11' },
        { label: 'CPU', value: '1' },
      ],
      note: 'prev_comm=a',
    });
    const lost = markerTooltip(
      {
        kind: 'marker',
        row: marker('lost-events', 2e9, { thread: -1, count: 46, label: '46 lost events' }),
      },
      () => 'x',
    );
    expect(lost.lines).toEqual([
      { label: 'time', value: '2.000000 s' },
      { label: 'thread', value: '10/11' },
      { label: 'CPU', value: '1' },
      { label: 'lost', value: '46' },
    ]);
  });

  it('draws a tick per listed marker on its row, or the columns holding any', () => {
    const ctx = new RecordingContext();
    drawMarkerLane(ctx.asContext(), listed, ['exec', 'tracepoint'], view, 400, 9);
    expect(ctx.only('fillRect')).toEqual([
      `fillRect 49 1 3 7 ${MARKER_COLORS.exec}`,
      `fillRect 389 1 3 7 ${MARKER_COLORS.exec}`,
      `fillRect 149 10 3 7 ${MARKER_COLORS.tracepoint}`,
    ]);
    const agg = new RecordingContext();
    drawMarkerLane(agg.asContext(), { ...listed, aggregated: true }, ['exec'], view, 400, 9);
    expect(agg.only('fillRect').map((c) => c.split(' ').slice(1, 3).join(' '))).toEqual([
      '0 5.7',
      '300 5.7',
    ]);
  });
});

describe('off-CPU stretches and switches on a thread track', () => {
  it('hang from the top, as tall as the share of each bin spent off the CPU', () => {
    const ctx = new RecordingContext();
    const share = Float64Array.from([0, 1, 0.5, 0]);
    drawOffCpu(ctx.asContext(), { start: 0, end: 400 }, share, view, 400, 22, 'off');
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 100 0 100 20 off',
      'fillRect 200 0 100 10 off',
    ]);
    // mapped through a zoomed view
    const zoomed = new RecordingContext();
    drawOffCpu(
      zoomed.asContext(),
      { start: 0, end: 400 },
      share,
      { start: 100, end: 300 },
      400,
      22,
      'off',
    );
    expect(zoomed.only('fillRect')).toEqual([
      'fillRect 0 0 200 20 off',
      'fillRect 200 0 200 10 off',
    ]);
  });

  it('switches: a tick each (outs taller), or the columns with any', () => {
    const ctx = new RecordingContext();
    const answer = { ...listed, switches: [] };
    const row = {
      thread: 2,
      bins: Uint32Array.from([2, 0, 0, 0]),
      total: 2,
      rows: [marker('switch', 10, { switchOut: true }), marker('switch', 30, { switchOut: false })],
    };
    drawSwitches(ctx.asContext(), answer, row, view, 400, 'sw');
    expect(ctx.only('fillRect')).toEqual(['fillRect 10 0 1 6 sw', 'fillRect 30 0 1 3 sw']);
    const agg = new RecordingContext();
    drawSwitches(agg.asContext(), answer, { ...row, rows: undefined }, view, 400, 'sw');
    expect(agg.only('fillRect')).toEqual(['fillRect 0 0 100 3 sw']);
  });
});

describe('per-CPU tracks', () => {
  it('a bar per bin, as tall as its share of the busiest bin, in the colour of the thread that ran most', () => {
    const answer: CpuTracksAnswer = {
      start: 0,
      end: 400,
      max: 4,
      rows: [
        {
          cpu: 0,
          bins: Float64Array.from([4, 0, 2, 1]),
          thread: Int32Array.from([3, -1, 5, 3]),
          total: 7,
        },
      ],
    };
    const ctx = new RecordingContext();
    drawCpuTrack(ctx.asContext(), answer, answer.rows[0]!, view, 400, 22, (t) => `t${t}`);
    expect(ctx.only('fillRect')).toEqual([
      'fillRect 0 2 100 20 t3',
      'fillRect 200 12 100 10 t5',
      'fillRect 300 17 100 5 t3',
    ]);
  });
});

describe('the stack under the cursor', () => {
  const frame = (name: string, kind: 'user' | 'kernel' | 'unmerged') => ({
    func: 0,
    name,
    lib: '',
    address: '0',
    offset: 0,
    kind,
    unresolved: false,
  });
  const hit: SampleAtAnswer = {
    index: 7,
    row: 3,
    time: 1_500_000,
    thread: 2,
    tid: 11,
    cpu: 1,
    event: 0,
    period: 1,
    status: 1,
    frames: [frame('do_syscall_64', 'kernel'), frame('hash_block', 'user')],
    depth: 20,
    stack: 9,
  };

  it('time, thread, CPU, merge status and the top frames, kernel and user marked', () => {
    expect(hoverStackTooltip(hit, 'wk-hash')).toEqual({
      title: 'wk-hash 11',
      subtitle: 'sample at 0.001500 s · CPU 1',
      tag: { text: 'merged', kind: 'deferred' },
      lines: [
        { label: 'kernel', value: 'do_syscall_64' },
        { label: 'user', value: 'hash_block' },
      ],
      note: '… 18 more frames · click to select it in the sample list',
    });
  });

  it('a sample without a callchain, one whose deferred stack never came', () => {
    const bare = hoverStackTooltip({ ...hit, frames: [], depth: 0, cpu: -1, status: 3 }, 'x');
    expect(bare.lines).toEqual([{ label: '', value: '(no callchain)' }]);
    expect(bare.subtitle).toBe('sample at 0.001500 s');
    expect(bare.tag).toEqual({ text: 'unmerged: end of recording', kind: 'unmerged' });
  });
});

describe('thread names over time', () => {
  const comms = [
    { time: -5, name: 'threads' },
    { time: 100, name: 'wk-hash' },
    { time: 150, name: 'wk-hash' },
    { time: 300, name: 'wk-x' },
  ];

  it('a rename is each name after the first that differs from the one before', () => {
    expect(renamesOf(comms)).toEqual([
      { time: 100, name: 'wk-hash' },
      { time: 300, name: 'wk-x' },
    ]);
    expect(renamesOf(comms.slice(0, 1))).toEqual([]);
  });

  it('a tick per rename and the new name where there is room before the next one', () => {
    const ctx = new RecordingContext();
    drawRenames(ctx.asContext(), renamesOf(comms), view, 400, 22, 'text', '10px mono');
    expect(ctx.calls).toEqual([
      `fillRect 100 0 2 22 ${MARKER_COLORS.comm}`,
      'text 104 "→ wk-hash"',
      `fillRect 300 0 2 22 ${MARKER_COLORS.comm}`,
      'text 304 "→ wk-x"',
    ]);
    // zoomed out 4 times: 25 px between them, too little for the first name
    const narrow = new RecordingContext();
    drawRenames(narrow.asContext(), renamesOf(comms), { start: 0, end: 1600 }, 400, 22, 't', 'f');
    expect(narrow.only('text')).toEqual(['text 79 "→ wk-x"']);
  });
});
