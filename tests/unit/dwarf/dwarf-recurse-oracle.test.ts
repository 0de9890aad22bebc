/**
 * The real `perf record --call-graph dwarf,8192` recording against perf 6.1's own output: every
 * sample's user frames (map-relative addresses, and the `(inlined)` lines) must equal the lines
 * after the kernel frames in oracle/script-sym.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../support/recordings';
import { oracleUserFrames } from './support/oracle-frames';
import { replayUserFrames } from './support/recording-unwinder';

const REC = join(FIXTURES, 'real', 'dwarf-recurse');

describe('dwarf-recurse: user frames as perf 6.1 prints them', () => {
  it('matches oracle/script-sym.txt for every sample', async () => {
    const want = oracleUserFrames(readFileSync(join(REC, 'oracle', 'script-sym.txt'), 'utf8'));
    const got = await replayUserFrames(join(REC, 'perf.data'), join(FIXTURES, 'real', 'symfs'));
    expect(want.length).toBe(60);
    expect(got.length).toBe(want.length);
    let same = 0;
    const diffs: string[] = [];
    for (let i = 0; i < want.length; i++) {
      if (JSON.stringify(got[i]) === JSON.stringify(want[i])) same++;
      else diffs.push(`sample ${i}:\n got  ${got[i]?.join(' ')}\n want ${want[i]?.join(' ')}`);
    }
    console.log(`dwarf-recurse user frames: ${same}/${want.length} samples match perf 6.1`);
    expect(diffs).toEqual([]);
  });

  it('stops at the frame limit like perf (max_stack counts the sampled ip)', async () => {
    const got = await replayUserFrames(join(REC, 'perf.data'), join(FIXTURES, 'real', 'symfs'), 5);
    for (const frames of got)
      expect(frames.filter((f) => !f.includes('(inlined)')).length).toBeLessThanOrEqual(5);
    expect(got[0]!.filter((f) => !f.includes('(inlined)'))).toEqual([
      '1334',
      '1392',
      '1363',
      '1392',
      '1363',
    ]);
  });
});
