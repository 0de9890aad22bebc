import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { foldedLines } from '../../src/session/query/folded';
import { runScript } from '../../src/session/script/run-script';
import { MIXED_DEFERRED, recording } from '../support/recordings';
import { report } from '../support/report';

/**
 * `perfws script` on small deferred recordings written for one rule each, against what perf
 * 6.19 prints (builtin-script.c process_sample_event and process_deferred_sample_event,
 * util/evsel_fprintf.c sample__fprintf_callchain, util/session.c). No binaries or kallsyms: every
 * frame is `[unknown]`, which keeps the expected text about the rule.
 */
const NO_FILES = mkdtempSync(join(tmpdir(), 'perfws-nosyms-'));
const SYMBOLS = { symfs: NO_FILES, buildidDir: NO_FILES };
const EVENT =
  'event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output';

/** `singleThread` false: read by a load worker however small the recording. */
async function script(
  path: string,
  fields: string[] = [],
  merge = true,
  singleThread?: boolean,
): Promise<string> {
  const reader = PerfDataReader.open(path);
  let text = '';
  const decoder = new TextDecoder();
  try {
    const result = await runScript(reader, {
      fields,
      merge,
      singleThread,
      symbols: SYMBOLS,
      write: (b) => (text += decoder.decode(b, { stream: true })),
    });
    expect(result.error).toBeUndefined();
  } finally {
    reader.close();
  }
  return text;
}

/** The `-F` default for a software event with callchains: comm unpadded, then the chain. */
const head = (comm: string, tid: number, cpu = 0, us = '0.000000'): string =>
  `${comm} ${String(tid).padStart(5)} [${String(cpu).padStart(3, '0')}] ${us.padStart(12)}: `;
const sampleHead = (comm: string, tid: number): string =>
  `${head(comm, tid)}         1 cpu-clock: `;
const frame = (addr: string, sym = '[unknown]'): string =>
  `\t${addr.padStart(16)} ${sym} ([unknown])`;

describe('(cookie): by value, on the samples perf 6.19 still counts as deferred', () => {
  // read by a load worker too: it notes which merged chains hold their cookie
  const readers = [
    ['on one thread', true],
    ['by a load worker', false],
  ] as const;

  it.each(readers)('marks a merged user address that equals the cookie (%s)', async (_, one) => {
    const text = await script(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x401000
        deferred 10/11 t=200 cookie=0x401000 ips=402000,401000
      `),
      [],
      true,
      one,
    );
    expect(text).toBe(
      [
        sampleHead(':11', 11),
        frame('ffffffff81000001'),
        frame('402000'),
        frame('401000', '(cookie)'),
        '',
        '',
      ].join('\n'),
    );
  });

  it('marks a kernel address that equals the cookie, with merging off', async () => {
    const text = await script(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=kernel:ffffffff81000005,ffffffff81000006;deferred:ffffffff81000005
      `),
      [],
      false,
    );
    expect(text).toBe(
      [
        sampleHead(':11', 11),
        frame('ffffffff81000005', '(cookie)'),
        frame('ffffffff81000006'),
        frame('ffffffff81000005', '(cookie)'),
        '',
        '',
      ].join('\n'),
    );
  });

  it('marks it when the worker parses the sample too (a sample_type it does not read in place)', async () => {
    const path = recording(`
      ${EVENT.replace('sample_type=', 'sample_type=ADDR|')}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x401000
      deferred 10/11 t=200 cookie=0x401000 ips=402000,401000
    `);
    const oneThread = await script(path, [], true, true);
    expect(oneThread).toContain('401000 (cookie)');
    expect(await script(path, [], true, false)).toBe(oneThread);
  });

  it.each(readers)(
    'prints a cookie-mismatch sample\u2019s cookie as an unknown address, a flushed one as (cookie) (%s)',
    async (_, one) => {
      const text = await script(
        recording(`
        ${EVENT}
        comm 10/11 t=50 app
        sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
        deferred 10/11 t=200 cookie=0x6 ips=401000
        sample 10/11 t=300 chain=kernel:ffffffff81000002;deferred:0x7
      `),
        [],
        true,
        one,
      );
      expect(text).toBe(
        [
          sampleHead('app', 11),
          frame('ffffffff81000001'),
          frame('5'),
          '',
          sampleHead('app', 11),
          frame('ffffffff81000002'),
          frame('7', '(cookie)'),
          '',
          '',
        ].join('\n'),
      );
    },
  );

  it('never marks the cookie inside a DEFERRED CALLCHAIN record (merging off)', async () => {
    const text = await script(
      recording(`
        ${EVENT}
        deferred 10/11 t=200 cookie=0x401000 ips=401000
      `),
      [],
      false,
    );
    expect(text).toBe(
      `${head(':11', 11)}DEFERRED CALLCHAIN [cookie: 401000]\n${frame('401000')}\n\n`,
    );
  });
});

describe('the end-of-session flush and thread lifetime (perf 6.19)', () => {
  const EXITED = `
    ${EVENT}
    comm 10/10 t=10 app
    comm 10/11 t=11 app
    comm 10/12 t=12 app
    sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
    sample 10/12 t=110 chain=kernel:ffffffff81000002;deferred:0x6
    exit 10/11 t=200
  `;

  it('prints flushed samples of an exited thread under a new thread :TID; a live thread keeps its name', async () => {
    const text = await script(recording(EXITED));
    expect(text).toBe(
      [
        sampleHead(':11', 11),
        frame('ffffffff81000001'),
        frame('5', '(cookie)'),
        '',
        sampleHead('app', 12),
        frame('ffffffff81000002'),
        frame('6', '(cookie)'),
        '',
        '',
      ].join('\n'),
    );
  });

  it('keeps the thread for samples delivered before its EXIT (merging off)', async () => {
    const text = await script(recording(EXITED), ['comm,tid'], false);
    expect(text).toBe(`${'app'.padStart(16)}    11 \n${'app'.padStart(16)}    12 \n`);
  });

  it.each([true, false])(
    'collapse (the model) names them as perf script does (single thread: %s)',
    async (singleThread) => {
      const reader = PerfDataReader.open(recording(EXITED));
      try {
        const profile = await loadProfile(reader, { symbols: SYMBOLS, singleThread });
        const lines = [...foldedLines(profile, { filters: {} })].flat();
        expect(lines.map((l) => l.split(';')[0]).sort()).toEqual([':11', 'app']);
      } finally {
        reader.close();
      }
    },
  );

  it('report keeps exited threads, as perf report does', async () => {
    const { text } = await report(recording(EXITED), {
      sort: 'comm',
      callGraph: 'none',
      quiet: true,
      symbols: SYMBOLS,
    });
    expect(text).toContain('app');
    expect(text).not.toContain(':11');
  });
});

describe('the DEFERRED CALLCHAIN line (--no-merge-callchains)', () => {
  const RECORD = recording(`
    ${EVENT}
    comm 10/11 t=50 app
    sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
    deferred 10/11 t=300 cpu=1 cookie=0x5 ips=401000,402000
  `);
  /** The record's block: everything after the sample's block (which ends in a blank line). */
  const deferredText = async (fields: string[]): Promise<string> => {
    const text = await script(RECORD, fields, false);
    return text.slice(text.lastIndexOf('\n\n', text.indexOf('DEFERRED')) + 2);
  };

  it.each([
    [
      [],
      `${head('app', 11, 1)}DEFERRED CALLCHAIN [cookie: 5]\n${frame('401000')}\n${frame('402000')}\n\n`,
    ],
    [
      ['+misc'],
      `app    11 [001] U         0.000000: DEFERRED CALLCHAIN [cookie: 5]\n${frame('401000')}\n${frame('402000')}\n\n`,
    ],
    [
      ['comm,pid,tid,cpu,misc,time,ip,sym,dso,symoff'],
      `app    10/11    [001] U         0.000000: DEFERRED CALLCHAIN [cookie: 5]\n${frame('401000')}\n${frame('402000')}\n\n`,
    ],
    [
      ['tid,period,event,ip,sym'],
      '   11 DEFERRED CALLCHAIN [cookie: 5]\n\t          401000 [unknown]\n\t          402000 [unknown]\n\n',
    ],
    [
      ['sw:time,ip,dso'],
      '    0.000000: DEFERRED CALLCHAIN [cookie: 5]\n\t          401000 ([unknown])\n\t          402000 ([unknown])\n\n',
    ],
    [['ip'], 'DEFERRED CALLCHAIN [cookie: 5]\n\t          401000\n\t          402000\n\n'],
  ])('-F %j', async (fields, expected) => {
    expect(await deferredText(fields)).toBe(expected);
  });

  it.each([
    [
      ['comm,tid,time'],
      `${'app'.padStart(16)}    11     0.000000: DEFERRED CALLCHAIN [cookie: 5]\n`,
    ],
    [['-ip'], `${'app'.padStart(16)}    11 [001]     0.000000: DEFERRED CALLCHAIN [cookie: 5]\n`],
  ])('-F %j (no ip: one line, the comm padded)', async (fields, expected) => {
    const text = await script(RECORD, fields, false);
    expect(
      text
        .split('\n')
        .filter((l) => l.includes('DEFERRED'))
        .map((l) => l + '\n'),
    ).toEqual([expected]);
  });

  it('prints time -1 for a record without a sample_id trailer (no sample_id_all), delivered at once', async () => {
    const text = await script(
      recording(`
        event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU defer_callchain defer_output no_sample_id_all
        sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
        deferred 10/11 t=300 cookie=0x5 ips=401000
      `),
      [],
      false,
    );
    // perf's parser leaves pid, tid, cpu and time at -1: thread ":-1", cpu "%03d" of -1
    expect(text).toBe(
      [
        ':-1    -1 [-01] 18446744073.709551: DEFERRED CALLCHAIN [cookie: 5]',
        frame('401000'),
        '',
        sampleHead(':11', 11),
        frame('ffffffff81000001'),
        frame('5', '(cookie)'),
        '',
        '',
      ].join('\n'),
    );
  });

  it('pads the comm of a record carrying the id of an event without callchains, and prints its chain', async () => {
    const text = await script(
      recording(`
        event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain
        event dummy type=1 config=9 sample_type=IP|TID|TIME|CPU|IDENTIFIER defer_output
        comm 10/11 t=50 event=1 app
        deferred 10/11 t=300 event=1 cookie=0x5 ips=401000
      `),
      [],
      false,
    );
    expect(text).toBe(
      `${'app'.padStart(16)}    11 [000]     0.000000: DEFERRED CALLCHAIN [cookie: 5]\n${frame('401000')}\n\n`,
    );
  });

  it('prints the record\u2019s sample ip (0) where no event has callchains to print', async () => {
    const text = await script(
      recording(`
        event cpu-clock type=1 sample_type=IP|TID|TIME|PERIOD defer_output
        deferred 10/11 t=300 cookie=0x5 ips=401000
      `),
      ['comm,tid,ip,sym,dso'],
      false,
    );
    expect(text).toBe(
      `${':11'.padStart(16)}    11 DEFERRED CALLCHAIN [cookie: 5] ${'0'.padStart(16)} [unknown] ([unknown])\n`,
    );
  });

  it('prints a record with nr = 0 as its line and an empty chain; merged, it adds nothing', async () => {
    const path = recording(`
      ${EVENT}
      sample 10/11 t=100 chain=kernel:ffffffff81000001;deferred:0x5
      deferred 10/11 t=200 cookie=0x5 ips=
    `);
    const raw = await script(path, [], false);
    expect(raw.endsWith(`${head(':11', 11)}DEFERRED CALLCHAIN [cookie: 5]\n\n`)).toBe(true);
    expect(await script(path)).toBe(`${sampleHead(':11', 11)}\n${frame('ffffffff81000001')}\n\n`);
  });

  it('prints a record naming a thread never sampled under that thread, and merges nothing with it', async () => {
    const path = recording(`
      ${EVENT}
      comm 10/11 t=50 app
      sample 10/11 t=100 chain=deferred:0x5
      deferred 90/99 t=150 cookie=0x5 ips=409000
      deferred 10/11 t=200 cookie=0x5 ips=401000
    `);
    const raw = await script(path, ['comm,tid,ip'], false);
    expect(raw).toContain(':99    99 DEFERRED CALLCHAIN [cookie: 5]\n\t          409000\n\n');
    expect(await script(path, ['comm,tid,ip'])).toBe('app    11 \n\t          401000\n\n');
  });
});

describe('the misc column', () => {
  it("follows perf's has() macro: a letter for every cpumode value m with (misc & m) == m", async () => {
    const text = await script(
      recording(`
        ${EVENT}
        sample 10/11 t=100 misc=1 ip=0x1
        sample 10/11 t=101 misc=2 ip=0x2
        sample 10/11 t=102 misc=3 ip=0x3
        sample 10/11 t=103 misc=5 ip=0x5
        sample 10/11 t=104 misc=0 ip=0x6
      `),
      ['tid,misc'],
    );
    expect(text).toBe(
      ['   11 K     ', '   11 U     ', '   11 KUH   ', '   11 KGg   ', '   11       ', ''].join(
        '\n',
      ),
    );
  });
});

describe('the 127-address print limit (scripting_max_stack) on a merged chain', () => {
  it('prints 127 addresses, markers not counted', async () => {
    const user = Array.from({ length: 130 }, (_, i) => (0x401000 + 16 * i).toString(16));
    const text = await script(
      recording(`
        ${EVENT}
        sample 10/11 t=100 chain=kernel:ffffffff81000001,ffffffff81000002;deferred:0x5
        deferred 10/11 t=200 cookie=0x5 ips=${user.join(',')}
      `),
      ['ip'],
    );
    const addresses = text
      .split('\n')
      .filter((l) => l.startsWith('\t'))
      .map((l) => l.trim());
    expect(addresses).toEqual(['ffffffff81000001', 'ffffffff81000002', ...user.slice(0, 125)]);
  });
});

describe('pipe mode', () => {
  it('prints what file mode prints, merged and not', async () => {
    for (const merge of [true, false]) {
      const file = await script(recording(MIXED_DEFERRED), [], merge);
      const pipe = await script(recording(MIXED_DEFERRED, { pipe: true }), [], merge);
      expect(pipe).toBe(file);
      expect(file.split('\n\n').length).toBe(merge ? 6 : 8);
    }
  });
});
