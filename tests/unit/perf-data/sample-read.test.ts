import { describe, expect, it } from 'vitest';
import type { EventAttr } from '../../../src/session/perf-data/attr';
import { ReadFormat, RecordType, SampleType } from '../../../src/session/perf-data/constants';
import { Cursor } from '../../../src/session/perf-data/cursor';
import { EventList } from '../../../src/session/perf-data/evlist';
import type { SampleRecord } from '../../../src/session/perf-data/records';
import { readValues, type Sample } from '../../../src/session/perf-data/sample';
import { SampleReadDelivery, u64PeriodText } from '../../../src/session/perf-data/sample-read';

/**
 * struct read_format as the kernel writes it (perf_output_read_one / perf_output_read_group):
 *   one:   { value; [time_enabled]; [time_running]; [id]; [lost] }
 *   group: { nr; [time_enabled]; [time_running]; { value; [id]; [lost] } cnt[nr] }
 */
function layout(format: number, values: { value: number; id: number; lost: number }[]): number[] {
  const times = [
    ...(format & ReadFormat.TOTAL_TIME_ENABLED ? [1000] : []),
    ...(format & ReadFormat.TOTAL_TIME_RUNNING ? [900] : []),
  ];
  const each = (v: (typeof values)[number]): number[] => [
    v.value,
    ...(format & ReadFormat.ID ? [v.id] : []),
    ...(format & ReadFormat.LOST ? [v.lost] : []),
  ];
  if (format & ReadFormat.GROUP) return [values.length, ...times, ...values.flatMap(each)];
  const [first] = each(values[0]!);
  return [first!, ...times, ...each(values[0]!).slice(1)];
}

function bytes(words: number[]): Uint8Array {
  const out = new Uint8Array(8 * words.length + 8); // and one word after it
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setBigUint64(8 * i, BigInt(w), true));
  view.setBigUint64(8 * words.length, 0xdeadn, true);
  return out;
}

describe('read_format: every combination of GROUP, ID, LOST and TOTAL_TIME_*', () => {
  const members = [
    { value: 5_000_123, id: 21, lost: 0 },
    { value: 4_999_001, id: 23, lost: 2 },
  ];
  for (let format = 0; format < 32; format++) {
    const group = (format & ReadFormat.GROUP) !== 0;
    it(`read_format ${format.toString(2).padStart(5, '0')}`, () => {
      const expected = group ? members : members.slice(0, 1);
      const c = Cursor.of(bytes(layout(format, expected)), true, 0);
      const read = readValues(c, format, 'sample.read');
      // the parse ends exactly where the read values end: the next word is the callchain's
      expect(c.u64Count('next')).toBe(0xdead);
      expect(read.timeEnabled).toBe(format & ReadFormat.TOTAL_TIME_ENABLED ? 1000 : undefined);
      expect(read.timeRunning).toBe(format & ReadFormat.TOTAL_TIME_RUNNING ? 900 : undefined);
      expect(read.values).toEqual(
        expected.map((m) => ({
          value: m.value,
          ...(format & ReadFormat.ID ? { id: m.id } : {}),
          ...(format & ReadFormat.LOST ? { lost: m.lost } : {}),
        })),
      );
    });
  }
});

describe('samples with group reads are delivered per member (deliver_sample_group)', () => {
  const attr = (config: number): EventAttr =>
    ({
      type: 1,
      config: BigInt(config),
      sampleType: SampleType.IP | SampleType.TID | SampleType.READ,
      readFormat: ReadFormat.ID | ReadFormat.GROUP,
      flags: 0n,
    }) as EventAttr;
  const events = new EventList();
  const leader = events.add(attr(0), [21, 22], 'cpu-clock');
  const member = events.add(attr(1), [23, 24], 'task-clock');

  const record = (values: { value: number; id: number }[]): SampleRecord =>
    ({
      type: RecordType.SAMPLE,
      sample: { event: leader, period: 1, read: { values } } as unknown as Sample,
    }) as SampleRecord;

  it("gives each member the change of its counter since the same id's last sample", () => {
    const delivery = new SampleReadDelivery(events);
    const out: string[] = [];
    const deliver = (r: SampleRecord): void => {
      out.push(`${r.sample.event.name} ${r.sample.id} ${u64PeriodText(r.sample.period)}`);
    };
    // [value, id] of each sample's group read, in delivery order:
    const reads: [number, number][][] = [
      [
        [1000, 21],
        [900, 23],
      ],
      // task-clock did not change: no sample for it; id 99 is no event's: counted, dropped
      [
        [2500, 21],
        [900, 23],
        [5, 99],
      ],
      // another CPU's counters (ids 22, 24) start from 0
      [
        [700, 22],
        [800, 24],
      ],
      // a counter that went back (an inherited counter of another thread): perf's u64 wraps
      [
        [2400, 21],
        [1000, 23],
      ],
    ];
    for (const read of reads) {
      delivery.deliver(record(read.map(([value, id]) => ({ value, id }))), deliver);
    }
    expect(out).toEqual([
      'cpu-clock 21 1000',
      'task-clock 23 900',
      'cpu-clock 21 1500',
      'cpu-clock 22 700',
      'task-clock 24 800',
      'cpu-clock 21 18446744073709551516',
      'task-clock 23 100',
    ]);
    expect(delivery.unknownIds).toBe(1);
    expect(member.ids).toEqual([23, 24]);
  });

  it('passes samples without PERF_SAMPLE_READ through unchanged', () => {
    const plain = new EventList().add({ ...attr(0), sampleType: SampleType.IP }, [1], 'x');
    const r = {
      type: RecordType.SAMPLE,
      sample: { event: plain, period: 7 } as unknown as Sample,
    } as SampleRecord;
    const out: SampleRecord[] = [];
    new SampleReadDelivery(events).deliver(r, (m) => out.push(m));
    expect(out).toEqual([r]);
  });
});
