import { describe, expect, it } from 'vitest';
import { mergeTrace, recording } from '../../support/recordings';

// Context markers as printed by wordHex.
const K = 'ffffffffffffff80';
const U = 'fffffffffffffe00';
const D = 'fffffffffffffd80';

const EVENT =
  'event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output';

describe('deferred callchain merge (perf 6.19 rules)', () => {
  it('merges every sample of a tid that shares the cookie, once the record arrives', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x7
      sample 10/11 t=110 chain=kernel:ffffffff81000002;deferred:0x7
      deferred 10/11 t=120 cookie=0x7 ips=401000,402000
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines).toEqual([
      `11 100 merged ${K},ffffffff81000001,${D},401000,402000`,
      `11 110 merged ${K},ffffffff81000002,${D},401000,402000`,
    ]);
    expect(stats).toMatchObject({
      deferredSamples: 2,
      merged: 2,
      deferredRecords: 1,
      recordsSharedBySeveralSamples: 1,
    });
  });

  it('delivers a sample of the same tid with another cookie unmerged, and leaves other tids queued', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x7
      sample 20/21 t=105 chain=deferred:0x9
      deferred 10/11 t=120 cookie=0x8 ips=401000
      deferred 20/21 t=130 cookie=0x9 ips=501000
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines).toEqual([
      `11 100 mismatch ${K},ffffffff81000001,${D},7`,
      `21 105 merged ${D},501000`,
    ]);
    expect(stats).toMatchObject({
      unmergedCookieMismatch: 1,
      merged: 1,
      recordsMatchingNothing: 1,
    });
  });

  it('matches on the tid only: a record written on another CPU still merges', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 cpu=0 chain=deferred:0x5
      deferred 10/11 t=101 cpu=1 cookie=0x5 ips=401000
    `);
    const { lines } = await mergeTrace(path);
    expect(lines).toEqual([`11 100 merged ${D},401000`]);
  });

  it('merges a record with nr = 0 into a chain that keeps only the kernel part and the marker', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
      deferred 10/11 t=101 cookie=0x5 ips=
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines).toEqual([`11 100 merged ${K},ffffffff81000001,${D}`]);
    expect(stats.merged).toBe(1);
  });

  it('delivers samples still waiting at the end of the file unmerged', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
      sample 10/12 t=101 chain=user:401000
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines).toEqual([
      `12 101 classic ${U},401000`,
      `11 100 end ${K},ffffffff81000001,${D},5`,
    ]);
    expect(stats).toMatchObject({ deferredSamples: 1, unmergedEndOfSession: 1, merged: 0 });
  });

  it('decides per sample: classic samples of a defer_callchain event pass straight through', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=deferred:0x5
      sample 10/11 t=101 chain=kernel:ffffffff81000001;user:401000
      deferred 10/11 t=102 cookie=0x5 ips=402000
    `);
    const { lines } = await mergeTrace(path);
    expect(lines).toEqual([
      `11 101 classic ${K},ffffffff81000001,${U},401000`,
      `11 100 merged ${D},402000`,
    ]);
  });

  it('does not treat USER_DEFERRED as deferred without the defer_callchain attr bit', async () => {
    const path = recording(`
      event cpu-clock sample_type=IP|TID|TIME|CALLCHAIN|PERIOD
      sample 10/11 t=100 chain=deferred:0x5
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines).toEqual([`11 100 classic ${D},5`]);
    expect(stats.deferredSamples).toBe(0);
  });

  it('lets samples of several events share one record', async () => {
    const path = recording(`
      ${EVENT}
      event task-clock type=1 config=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain
      sample 10/11 t=100 event=0 chain=kernel:ffffffff81000001;deferred:0x5
      sample 10/11 t=100 event=1 chain=kernel:ffffffff81000001;deferred:0x5
      deferred 10/11 t=105 event=0 cookie=0x5 ips=401000
    `);
    const { lines, stats } = await mergeTrace(path);
    expect(lines.map((l) => l.split(' ')[2])).toEqual(['merged', 'merged']);
    expect(stats).toMatchObject({ merged: 2, recordsSharedBySeveralSamples: 1 });
  });

  it('with merging off delivers samples as recorded and each record as its own event', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=deferred:0x5
      deferred 10/11 t=101 cookie=0x5 ips=401000
    `);
    const { lines, stats } = await mergeTrace(path, false);
    expect(lines).toEqual([`11 100 raw ${D},5`, '11 101 record 5']);
    expect(stats).toMatchObject({ deferredSamples: 1, deferredRecords: 1, merged: 0 });
  });

  it('merges in time order, not file order: a record queued before its sample in the file still comes after it', async () => {
    const path = recording(`
      ${EVENT}
      deferred 10/11 t=101 cookie=0x5 ips=401000
      sample 10/11 t=100 chain=deferred:0x5
      round
    `);
    const { lines } = await mergeTrace(path);
    expect(lines).toEqual([`11 100 merged ${D},401000`]);
  });

  it.each([false, true])(
    'reads the same from a big-endian file (bigEndian=%s)',
    async (bigEndian) => {
      const description = `
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0xb00000006
      deferred 10/11 t=101 cookie=0xb00000006 ips=7f18fe337fa7,7f18fe330e0f
    `;
      const { lines } = await mergeTrace(recording(description, { bigEndian }));
      expect(lines).toEqual([`11 100 merged ${K},ffffffff81000001,${D},7f18fe337fa7,7f18fe330e0f`]);
    },
  );
});
