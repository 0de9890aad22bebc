import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../../src/session/perf-data/reader';
import { recording } from '../../support/recordings';

/**
 * Which event each record belongs to (perf's evlist__event2evsel): a sample by the ID or
 * IDENTIFIER at its fixed position in the body (IDENTIFIER: the first u64, ID: after IP, TID,
 * TIME and ADDR), any other record by the one in its sample_id trailer (IDENTIFIER: the last u64,
 * ID: before CPU and STREAM_ID). Two events here, so a wrong position picks the wrong one (or
 * none).
 */
const KINDS: Record<number, string> = {
  3: 'comm',
  4: 'exit',
  9: 'sample',
  10: 'mmap',
  22: 'deferred',
};

async function eventsOfRecords(description: string, pipe: boolean): Promise<string[]> {
  const reader = PerfDataReader.open(recording(description, { pipe }));
  const seen: string[] = [];
  try {
    const result = await reader.read((r) =>
      seen.push(`${KINDS[r.type] ?? r.type}:${r.event?.name}`),
    );
    expect(result.error).toBeUndefined();
    expect(reader.stats.unknownIds).toBe(0);
  } finally {
    reader.close();
  }
  return seen;
}

// Each event is open on two CPUs, so it has two ids; `cpu=1` records carry the second.
const RECORDS = `
  comm 10/11 t=10 event=1 app
  mmap 10/11 t=11 event=0 cpu=1 0x400000+0x1000 @0 /bin/app
  sample 10/11 t=20 event=1 cpu=1 ip=0x400010 chain=user:400010
  sample 10/11 t=21 event=0 ip=0x400020 chain=user:400020
  deferred 10/11 t=22 event=1 cookie=0x5 ips=400100
  comm 10/12 t=23 event=0 cpu=1 worker
  sample 10/12 t=24 event=1 ip=0x400030 chain=user:400030
  mmap 10/12 t=25 event=1 cpu=1 0x500000+0x1000 @0 /lib/libx.so
  exit 10/12 t=26 event=1
  deferred 10/11 t=27 event=0 cpu=1 cookie=0x6 ips=400200
`;
const EXPECTED = [
  'comm:second',
  'mmap:first',
  'sample:second',
  'sample:first',
  'deferred:second',
  'comm:first',
  'sample:second',
  'mmap:second',
  'exit:second',
  'deferred:first',
];

describe.each([false, true])('the event of every record (pipe mode: %s)', (pipe) => {
  it.each([
    [
      'PERF_SAMPLE_IDENTIFIER: first u64 of a sample, last of a trailer',
      'IP|TID|TIME|ADDR|CPU|PERIOD|CALLCHAIN|IDENTIFIER',
    ],
    [
      'PERF_SAMPLE_ID: after IP, TID, TIME and ADDR in a sample, before CPU in a trailer',
      'IP|TID|TIME|ADDR|ID|CPU|PERIOD|CALLCHAIN',
    ],
    // no TIME: every record is delivered as it is read, in file order
    [
      'PERF_SAMPLE_ID without ADDR and CPU: the second u64 of a sample, the last of a trailer',
      'IP|TID|ID|PERIOD|CALLCHAIN',
    ],
  ])('by %s', async (_, types) => {
    const seen = await eventsOfRecords(
      `
      event first type=1 sample_type=${types} defer_callchain defer_output cpus=2
      event second type=1 config=1 sample_type=${types} defer_callchain cpus=2
      ${RECORDS}`,
      pipe,
    );
    expect(seen).toEqual(EXPECTED);
  });
});
