/**
 * The tracing data reader: the real blob of tracepoint-sched, and malformed blobs, which must give
 * a TracingDataError naming the offset and the field (never another exception, never a hang).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseTracingData, TracingDataError } from '../../../src/session/tracepoint';
import { readTestPerfData } from './perf-data-samples';
import { eventFormatText } from './synthetic-event';

const perfData = readTestPerfData(
  join(__dirname, '../../fixtures/real/tracepoint-sched/perf.data'),
);
const blob = perfData.tracingData;

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A tracing data blob built from parts (little-endian, version 0.6). */
function buildBlob(parts: {
  events?: string[];
  printk?: string;
  cmdlines?: string;
  pageSize?: number;
  headerPage?: string;
}): Uint8Array {
  const out: number[] = [];
  const bytes = (s: string) => out.push(...Buffer.from(s, 'latin1'));
  const u32 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
  const u64 = (v: number) => {
    u32(v);
    u32(0);
  };
  out.push(0x17, 0x08, 0x44);
  bytes('tracing0.6\0');
  out.push(0, 8);
  u32(parts.pageSize ?? 4096);
  const headerPage =
    parts.headerPage ??
    '\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n' +
      '\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n';
  bytes('header_page\0');
  u64(headerPage.length);
  bytes(headerPage);
  bytes('header_event\0');
  u64(0);
  u32(0);
  const events = parts.events ?? [];
  u32(events.length ? 1 : 0);
  if (events.length) {
    bytes('test\0');
    u32(events.length);
    for (const e of events) {
      u64(e.length);
      bytes(e);
    }
  }
  u32(0);
  const printk = parts.printk ?? '';
  u32(printk.length);
  bytes(printk);
  const cmdlines = parts.cmdlines ?? '';
  u64(cmdlines.length);
  bytes(cmdlines);
  return new Uint8Array(out);
}

describe('tracing data of tracepoint-sched', () => {
  const data = parseTracingData(blob);

  it('reads the header', () => {
    expect(data.version).toBe('0.6');
    expect(data.bigEndian).toBe(false);
    expect(data.fileLongSize).toBe(8);
    expect(data.pageSize).toBe(4096);
    expect(data.context.longSize).toBe(8);
    expect(data.savedCmdlines.size).toBe(0);
    expect(data.context.printkStrings.get(0xffffffff8281b755n)).toBe('rcu_preempt');
    expect(data.context.printkStrings.get(0xffffffff8281ba10n)).toBe('Start CPU kthread@rcu_yield');
  });

  it('keys the four sched formats by ID', () => {
    expect([...data.events.keys()].sort()).toEqual([365, 366, 369, 372]);
    const exec = data.events.get(365);
    expect(exec?.system).toBe('sched');
    expect(exec?.name).toBe('sched_process_exec');
    expect(exec?.printFmt.failure).toBeUndefined();
    expect(exec?.printFmt.format).toBe('filename=%s pid=%d old_pid=%d');
  });

  it('describes fields as the format file declares them', () => {
    const sw = data.events.get(372);
    expect(sw?.commonFields.map((f) => f.name)).toEqual([
      'common_type',
      'common_flags',
      'common_preempt_count',
      'common_pid',
    ]);
    const comm = sw?.fields.find((f) => f.name === 'prev_comm');
    expect(comm).toMatchObject({
      type: 'char[16]',
      offset: 8,
      size: 16,
      signed: false,
      isArray: true,
      arrayLength: 16,
      elementSize: 1,
      isString: true,
      isDynamic: false,
    });
    expect(sw?.fields.find((f) => f.name === 'prev_state')).toMatchObject({
      type: 'long',
      offset: 32,
      size: 8,
      signed: true,
      isLong: true,
    });
    const filename = data.events.get(365)?.fields.find((f) => f.name === 'filename');
    expect(filename).toMatchObject({ type: '__data_loc char[]', size: 4, isDynamic: true });
  });

  it('reads saved cmdlines, printk formats and ftrace-less blobs it builds itself', () => {
    const built = parseTracingData(
      buildBlob({
        events: [
          eventFormatText(['field:int x;\toffset:8;\tsize:4;\tsigned:1;'], '"x=%d", REC->x', 7),
        ],
        printk: '0xffffffff81000000 : "hello\\n"\n',
        cmdlines: '1 systemd\n28600 fork exec\n',
      }),
    );
    expect(built.events.get(7)?.name).toBe('test_event');
    expect(built.context.printkStrings.get(0xffffffff81000000n)).toBe('hello');
    expect(built.savedCmdlines.get(28600)).toBe('fork exec');
  });
});

describe('malformed tracing data', () => {
  it('names offset and field for a bad magic', () => {
    const bad = blob.slice();
    bad[1] = 0;
    const e = catchError(() => parseTracingData(bad, { baseOffset: 10792 }));
    expect(e).toBeInstanceOf(TracingDataError);
    expect(e).toMatchObject({ offset: 10792, field: 'magic' });
    expect(String(e)).toMatch(/bad magic\) at byte offset 10792 \(0x2a28\) in magic/);
  });

  it('refuses a size larger than the blob without allocating it', () => {
    const bad = buildBlob({});
    // header_page size (u64) follows magic (10) + "0.6\0" (4) + 2 + page size (4) + tag (12).
    new DataView(bad.buffer).setUint32(32, 0xfffffff0, true);
    const e = catchError(() => parseTracingData(bad));
    expect(e).toBeInstanceOf(TracingDataError);
    expect(e).toMatchObject({ offset: 32, field: 'header_page size' });
  });

  it('refuses a zero page size', () => {
    const e = catchError(() => parseTracingData(buildBlob({ pageSize: 0 })));
    expect(e).toMatchObject({ offset: 16, field: 'page size' });
  });

  it('points into the event text for a broken format', () => {
    const text = 'name: broken\nID: 9\nformat:\n\tfield:int x;\toffset:8;\tsize;\n';
    const bad = buildBlob({ events: [text] });
    const e = catchError(() => parseTracingData(bad, { baseOffset: 1000 }));
    expect(e).toBeInstanceOf(TracingDataError);
    // The text is followed by the kallsyms size (u32), printk size (u32), cmdlines size (u64).
    const textStart = bad.length - text.length - 4 - 4 - 8;
    expect(e).toMatchObject({
      field: 'event format test/broken',
      offset: 1000 + textStart + text.indexOf('size;') + 4,
    });
    expect(String(e)).toMatch(/expected ':' but read op ';'/);
  });

  it('keeps an event whose print fmt does not parse, marked failed', () => {
    const text = eventFormatText(['field:int x;\toffset:8;\tsize:4;\tsigned:1;'], '"%d", (REC->x');
    const data = parseTracingData(buildBlob({ events: [text] }));
    expect(data.events.get(42)?.printFmt.failure).toBeDefined();
  });

  it('gives a TracingDataError for every truncation of the real blob', () => {
    for (let n = 0; n < blob.length; n++) {
      const e = catchError(() => parseTracingData(blob.subarray(0, n)));
      if (!(e instanceof TracingDataError)) {
        throw new Error(`cut at ${n}: ${String(e)}`);
      }
      expect(e.offset).toBeLessThanOrEqual(n);
    }
  });

  it('never throws anything but TracingDataError for corrupted bytes', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const bad = blob.slice();
      for (let k = 0; k < 4; k++) bad[random() % bad.length] = random() & 0xff;
      const e = catchError(() => parseTracingData(bad));
      if (e !== undefined && !(e instanceof TracingDataError)) {
        throw new Error(`round ${round}: ${String(e)}`);
      }
    }
  });
});
