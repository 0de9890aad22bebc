import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { foldedLines } from '../../src/session/query/folded';
import { recording } from '../support/recordings';

/** No binaries: every frame folds to `[unknown]`. */
const NO_FILES = mkdtempSync(join(tmpdir(), 'perfws-nosyms-'));

it('sums the lines two threads make alike, as stackcollapse-perf.pl sums equal lines', async () => {
  // a comm with a `;` ("x;[unknown]" over one frame) makes the line "x" makes over two frames
  const path = recording(`
    event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER
    comm 10/11 t=1 x;[unknown]
    comm 10/12 t=2 x
    sample 10/11 t=10 ip=0x401000 chain=user:401000 period=3
    sample 10/12 t=20 ip=0x401000 chain=user:401000,402000 period=4
    sample 10/12 t=30 ip=0x401000 chain=user:401000 period=5
  `);
  const reader = PerfDataReader.open(path);
  try {
    const profile = await loadProfile(reader, {
      symbols: { symfs: NO_FILES, buildidDir: NO_FILES },
    });
    expect([...foldedLines(profile, { filters: {} })].flat()).toEqual([
      'x;[unknown] 5',
      'x;[unknown];[unknown] 7',
    ]);
  } finally {
    reader.close();
  }
});
