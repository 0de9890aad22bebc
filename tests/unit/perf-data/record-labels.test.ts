import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../../src/session/perf-data/reader';
import { recording } from '../../support/recordings';

describe('a record too short for its fields', () => {
  it('is skipped with a warning that names its type and the field', async () => {
    const reader = PerfDataReader.open(
      recording(`
        event cpu-clock type=1 config=0 sample_type=IP|TID|TIME|PERIOD
        bytes 09000000010010001000400000000000
        bytes 01000000020010000a0000000b000000
        sample 10/11 t=20 ip=0x400010
      `),
    );
    const delivered: number[] = [];
    try {
      await reader.read((r) => delivered.push(r.type));
    } finally {
      reader.close();
    }
    expect(delivered).toEqual([9]);
    expect(reader.stats.badRecords).toBe(2);
    expect(reader.warnings.map((w) => w.message)).toEqual([
      'SAMPLE record skipped: SAMPLE record too short: sample.pid needs 4 bytes, 0 left at byte offset 272 (0x110) in sample.pid',
      'MMAP record skipped: record too short for its 16-byte sample_id trailer at byte offset 288 (0x120) in sample_id',
    ]);
  });
});
