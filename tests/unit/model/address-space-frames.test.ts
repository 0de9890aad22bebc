/**
 * The model builder keeps each address's frame per address space: the same address in two
 * processes (or in one process before and after its maps change) can be two functions.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { loadProfile } from '../../../src/session/model/model-builder';
import { PerfDataReader } from '../../../src/session/perf-data/reader';
import { callchain } from '../../../src/session/query/samples';
import { describeTextProfile } from '../../support/text-profile';
import { writePerfData } from '../../support/perf-data-writer';

it('resolves one address to the function each address space maps there', async () => {
  // Every process maps /usr/bin/prog and /usr/lib/libother.so at the same two bases...
  const { description, files, kallsyms } = describeTextProfile(`
    app;main;work 1 t=0 thread=100
    other;main;work 1 t=10 thread=200
    lib;helper@libother.so;other_work@libother.so 1 t=20 thread=300
  `);
  // ...but process 200 maps them the other way round: prog's addresses are libother's there
  const bases = [...description.matchAll(/^mmap 100\/100 \S+ (0x[0-9a-f]+)\+/gm)].map((m) => m[1]);
  expect(bases).toHaveLength(2);
  const swapped = description.replace(
    /^(mmap 200\/200 \S+ )(0x[0-9a-f]+)/gm,
    (_, head, base) => head + (base === bases[0] ? bases[1] : bases[0]),
  );
  expect(swapped).not.toBe(description);
  const dir = mkdtempSync(join(tmpdir(), 'perfws-spaces-'));
  const path = join(dir, 'perf.data');
  writeFileSync(path, writePerfData(swapped));
  for (const [file, bytes] of files) {
    mkdirSync(join(dir, 'symfs', dirname(file)), { recursive: true });
    writeFileSync(join(dir, 'symfs', file), bytes);
  }
  writeFileSync(join(dir, 'kallsyms'), kallsyms);
  const symbols = { symfs: join(dir, 'symfs'), kallsyms: join(dir, 'kallsyms') };
  for (const singleThread of [true, false]) {
    const reader = PerfDataReader.open(path);
    const profile = await loadProfile(reader, { symbols, singleThread });
    reader.close();
    const names = profile.threads.map((t) =>
      callchain(profile, t.samples.stack[0]!)
        .map((f) => f.name)
        .join(' <- '),
    );
    expect(names).toEqual(['work <- main', 'other_work <- helper', 'other_work <- helper']);
  }
});
