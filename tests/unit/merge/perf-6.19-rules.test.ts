import { describe, expect, it } from 'vitest';
import { MIXED_DEFERRED, mergeTrace, recording } from '../../support/recordings';

/**
 * The deferred merge, rule by rule, as perf 6.19 does it (util/evsel.c evsel__parse_sample for
 * what is deferred, util/session.c evlist__deliver_deferred_callchain and
 * session__flush_deferred_samples, util/ordered-events.c for the order records arrive in).
 * Each recording is written by the test-side writer; lines are `tid time status chain`.
 */
const K = 'ffffffffffffff80';
const D = 'fffffffffffffd80';
const EVENT =
  'event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output';

describe('which samples are deferred (perf 6.19 evsel__parse_sample)', () => {
  it('needs the second-to-last entry to be USER_DEFERRED: a chain ending in the marker is classic', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=kernel:ffffffff81000001;raw:${D}
        deferred 10/11 t=101 cookie=0x${D} ips=401000
      `),
    );
    expect(lines).toEqual([`11 100 classic ${K},ffffffff81000001,${D}`]);
    expect(stats).toMatchObject({ deferredSamples: 0, recordsMatchingNothing: 1 });
  });

  it('needs at least two entries: a lone marker without its cookie is classic', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=raw:${D}
      `),
    );
    expect(lines).toEqual([`11 100 classic ${D}`]);
    expect(stats.deferredSamples).toBe(0);
  });

  it('takes the smallest deferred chain, [USER_DEFERRED, cookie], as deferred', async () => {
    const { lines } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=raw:${D},7
        deferred 10/11 t=101 cookie=0x7 ips=401000
      `),
    );
    expect(lines).toEqual([`11 100 merged ${D},401000`]);
  });
});

describe('the FIFO of deferred samples (evlist__deliver_deferred_callchain)', () => {
  it('merges only the record\u2019s own thread when two threads wait on the same cookie', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
        sample 20/21 t=101 chain=kernel:ffffffff81000002;deferred:0x5
        deferred 10/11 t=110 cookie=0x5 ips=401000
        sample 20/21 t=115 chain=kernel:ffffffff81000003;deferred:0x5
        deferred 20/21 t=120 cookie=0x5 ips=501000
      `),
    );
    expect(lines).toEqual([
      `11 100 merged ${K},ffffffff81000001,${D},401000`,
      `21 101 merged ${K},ffffffff81000002,${D},501000`,
      `21 115 merged ${K},ffffffff81000003,${D},501000`,
    ]);
    expect(stats).toMatchObject({ merged: 3, recordsSharedBySeveralSamples: 1 });
  });

  it('leaves the other thread waiting on the same cookie queued until the end', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x5
        sample 20/21 t=101 chain=deferred:0x5
        deferred 10/11 t=110 cookie=0x5 ips=401000
      `),
    );
    expect(lines).toEqual([`11 100 merged ${D},401000`, `21 101 end ${D},5`]);
    expect(stats).toMatchObject({ merged: 1, unmergedEndOfSession: 1 });
  });

  it('keeps other threads\u2019 samples queued in their order while it delivers a thread\u2019s', async () => {
    const { lines } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 20/21 t=100 chain=deferred:0x1
        sample 10/11 t=101 chain=deferred:0x2
        sample 20/22 t=102 chain=deferred:0x3
        sample 10/11 t=103 chain=deferred:0x2
        deferred 10/11 t=110 cookie=0x2 ips=401000
        deferred 20/22 t=111 cookie=0x3 ips=402000
        deferred 20/21 t=112 cookie=0x1 ips=403000
      `),
    );
    expect(lines).toEqual([
      `11 101 merged ${D},401000`,
      `11 103 merged ${D},401000`,
      `22 102 merged ${D},402000`,
      `21 100 merged ${D},403000`,
    ]);
  });

  it('delivers every queued sample of the thread on a mismatch, in queue order, and merges the matching ones', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x1
        sample 10/11 t=101 chain=deferred:0x2
        sample 10/11 t=102 chain=deferred:0x1
        deferred 10/11 t=110 cookie=0x2 ips=401000
      `),
    );
    expect(lines).toEqual([
      `11 100 mismatch ${D},1`,
      `11 101 merged ${D},401000`,
      `11 102 mismatch ${D},1`,
    ]);
    expect(stats).toMatchObject({ merged: 1, unmergedCookieMismatch: 2 });
  });

  it('flushes what is still queued at the end in queue order, every thread interleaved', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x1
        sample 20/21 t=101 chain=deferred:0x2
        sample 10/11 t=102 chain=deferred:0x3
        sample 20/22 t=103 chain=deferred:0x4
      `),
    );
    expect(lines).toEqual([
      `11 100 end ${D},1`,
      `21 101 end ${D},2`,
      `11 102 end ${D},3`,
      `22 103 end ${D},4`,
    ]);
    expect(stats.unmergedEndOfSession).toBe(4);
  });

  it('matches nothing with a record of a thread that was never sampled, and disturbs nobody', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x5
        deferred 90/99 t=105 cookie=0x5 ips=401000
        deferred 10/11 t=110 cookie=0x5 ips=402000
      `),
    );
    expect(lines).toEqual([`11 100 merged ${D},402000`]);
    expect(stats).toMatchObject({ deferredRecords: 2, recordsMatchingNothing: 1, merged: 1 });
  });
});

describe('the order records reach the merge in (ordered-events.c)', () => {
  it('keeps file order for equal times: a record written after its sample merges it', async () => {
    const { lines } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x5
        deferred 10/11 t=100 cookie=0x5 ips=401000
        round
      `),
    );
    expect(lines).toEqual([`11 100 merged ${D},401000`]);
  });

  it('keeps file order for equal times: a record written before its sample of the same time misses it', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        deferred 10/11 t=100 cookie=0x5 ips=401000
        sample 10/11 t=100 chain=deferred:0x5
        round
      `),
    );
    expect(lines).toEqual([`11 100 end ${D},5`]);
    expect(stats).toMatchObject({ recordsMatchingNothing: 1, unmergedEndOfSession: 1 });
  });

  it('keeps file order between threads at equal times, across rounds', async () => {
    const { lines } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 20/21 t=100 chain=user:501000
        sample 10/11 t=100 chain=user:401000
        round
        sample 10/12 t=100 chain=user:402000
        round
        round
      `),
    );
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['21', '11', '12']);
  });

  it('delivers a record whose time is -1 at once (ordered_events__queue refuses it)', async () => {
    const { lines, stats } = await mergeTrace(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=deferred:0x5
        deferred 10/11 t=18446744073709551615 cookie=0x5 ips=401000
      `),
    );
    expect(lines).toEqual([`11 100 end ${D},5`]);
    expect(stats).toMatchObject({ recordsMatchingNothing: 1, unmergedEndOfSession: 1 });
  });

  it('delivers a record without a time at once, ahead of the samples still in the queue', async () => {
    // no sample_id_all: the record has no trailer, so no time and no tid (perf: -1), and perf
    // delivers it when it reads it; the sample, queued until the end, then finds no record
    const { lines, stats } = await mergeTrace(
      recording(`
        event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD defer_callchain defer_output no_sample_id_all
        sample 10/11 t=100 chain=deferred:0x5
        deferred 10/11 cookie=0x5 ips=401000
      `),
      false,
    );
    expect(lines).toEqual(['-1 0 record 5', `11 100 raw ${D},5`]);
    const merged = await mergeTrace(
      recording(`
        event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD defer_callchain defer_output no_sample_id_all
        sample 10/11 t=100 chain=deferred:0x5
        deferred 10/11 cookie=0x5 ips=401000
      `),
    );
    expect(merged.lines).toEqual([`11 100 end ${D},5`]);
    expect(merged.stats).toMatchObject({ recordsMatchingNothing: 1, unmergedEndOfSession: 1 });
    expect(stats.deferredRecords).toBe(1);
  });
});

describe('pipe mode', () => {
  it('merges exactly as file mode does', async () => {
    const file = await mergeTrace(recording(MIXED_DEFERRED));
    const pipe = await mergeTrace(recording(MIXED_DEFERRED, { pipe: true }));
    expect(pipe.reader.header.pipe).toBe(true);
    expect(pipe.lines).toEqual(file.lines);
    expect(pipe.stats).toEqual(file.stats);
    expect(file.lines).toEqual([
      `11 100 merged ${K},ffffffff81000001,${D},401000,402000`,
      `11 100 merged ${K},ffffffff81000001,${D},401000,402000`,
      `21 101 mismatch ${D},9`,
      `21 120 merged ${D},501000`,
      `11 130 end ${D},6`,
    ]);
  });
});
