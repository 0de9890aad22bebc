import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { hexFromHalves } from '../../src/session/perf-data/u64';
import { runScript } from '../../src/session/script/run-script';
import { FIXTURES, recording } from '../support/recordings';

/**
 * A byte-swapped recording, checked against real perf output rather than against our own
 * little-endian reading: the s390x (big-endian) CALLCHAIN_DEFERRED record rebuilt byte for byte
 * from the hex dump in Jens Remus's mail on the perf 6.19 series
 * (tests/fixtures/external/deferred-callchains, example 4), behind the sample it belongs to, in a
 * big-endian file written by the test writer. Its user stack holds 0xffffffffffffffff, above
 * PERF_CONTEXT_MAX: perf discards such a chain whole, merged or not.
 */
const RECORD = readFileSync(
  join(FIXTURES, 'external', 'deferred-callchains', 'record-s390x-be.bin'),
);
const NO_FILES = mkdtempSync(join(tmpdir(), 'perfws-nosyms-'));

const RECORDING = recording(
  `
  event task-clock:ppp type=1 config=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD defer_callchain defer_output
  comm 1082/1084 t=1 java
  sample 1082/1084 t=44004346257 misc=2 ip=0x3ffa3e413aa period=1001001 chain=deferred:0x400000079
  bytes ${RECORD.toString('hex')}
`,
  { bigEndian: true },
);

/** The output as the mail shows it: tabs expanded, no trailing blanks, perf 6.19's %7d tid column. */
function asPublished(text: string): string[] {
  return text.split('\n').map((l) =>
    l
      .replace(/\t/g, '        ')
      .replace(/^(\S+) +(\d+) /, (_, comm: string, tid: string) => `${comm} ${tid.padStart(7)} `)
      .trimEnd(),
  );
}

async function script(merge: boolean): Promise<string> {
  const reader = PerfDataReader.open(RECORDING);
  let text = '';
  try {
    expect(reader.header.littleEndian).toBe(false);
    const result = await runScript(reader, {
      merge,
      symbols: { symfs: NO_FILES, buildidDir: NO_FILES },
      write: (b) => (text += Buffer.from(b).toString('utf8')),
    });
    expect(result.error).toBeUndefined();
    expect(result.merge).toMatchObject({
      deferredSamples: 1,
      deferredRecords: 1,
      merged: merge ? 1 : 0,
    });
  } finally {
    reader.close();
  }
  return text;
}

describe('a big-endian (s390x) deferred recording, against perf 6.19 as published', () => {
  it('perf script: the merged chain holds an entry above PERF_CONTEXT_MAX, so none is printed', async () => {
    // "# perf script" in the mail
    expect(asPublished(await script(true))).toEqual([
      'java    1084    44.004346:    1001001 task-clock:ppp:',
      '',
      '',
    ]);
  });

  it('perf script --no-merge-callchain: the cookie frame, then the record with its chain discarded', async () => {
    expect(asPublished(await script(false))).toEqual([
      'java    1084    44.004346:    1001001 task-clock:ppp:',
      '               400000079 (cookie) ([unknown])',
      '',
      'java    1084    44.004348: DEFERRED CALLCHAIN [cookie: 400000079]',
      '',
      '',
    ]);
  });

  it('reads the record as perf report -D shows it: cookie, 21 ips, pid/tid and time', async () => {
    const reader = PerfDataReader.open(RECORDING);
    const seen: string[] = [];
    try {
      await reader.read((r) => {
        if (r.type !== 22 || !('cookieLo' in r)) return;
        const ips = Array.from({ length: r.ips.length / 2 }, (_, i) =>
          (BigInt(r.ips[2 * i + 1]!) * 2n ** 32n + BigInt(r.ips[2 * i]!))
            .toString(16)
            .padStart(16, '0'),
        );
        seen.push(
          `${r.sid.pid}/${r.sid.tid} ${r.sid.time} 0x${hexFromHalves(r.cookieLo, r.cookieHi)} ${ips.length}`,
        );
        seen.push(...[0, 4, 7, 9, 20].map((i) => `${i}: ${ips[i]}`));
      });
    } finally {
      reader.close();
    }
    expect(seen).toEqual([
      '1082/1084 44004348864 0x400000079 21',
      '0: 000003ffa3e413aa',
      '4: 0000000000000000',
      '7: 005780888e7647a5',
      '9: ffffffffffffffff',
      '20: 000003ffba92b950',
    ]);
  });
});
