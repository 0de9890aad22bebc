import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnnotateAnswer, Filters } from '../../src/shared/contract';
import { SessionError } from '../../src/shared/contract/errors';
import { SessionService } from '../../src/session/service';
import { FIXTURES } from '../support/recordings';
import { FIXTURE_SYMBOLS, context } from '../support/session';

const REAL = join(FIXTURES, 'real');
const WORKLOADS = join(REAL, 'workloads');

async function open(name: string, root = REAL): Promise<SessionService> {
  const service = new SessionService();
  await service.open(
    { path: join(root, name, 'perf.data'), symbols: { ...FIXTURE_SYMBOLS, sourcePath: WORKLOADS } },
    context(),
  );
  return service;
}

/** The function index the views use for a name (from the top functions answer). */
async function funcOf(
  service: SessionService,
  name: string,
  filters: Filters = {},
): Promise<number> {
  const top = await service.topFunctions({ filters, limit: 10000, weight: 'samples' }, context());
  const row = top.rows.find((r) => r.name === name);
  if (!row) throw new Error(`no function ${name}`);
  return row.func;
}

/** perf annotate -n's counts by address ("       3 :   13da:   pop    %rbp"), first event only. */
function perfCounts(name: string, oracle: string): Map<string, number> {
  const text = readFileSync(join(REAL, name, 'oracle', 'annotate', `${oracle}.txt`), 'latin1');
  const first = text.split(/\n(?= Samples \|)/)[0]!;
  const counts = new Map<string, number>();
  for (const m of first.matchAll(/^ +(\d+) : +([0-9a-f]+):/gm)) counts.set(m[2]!, Number(m[1]));
  return counts;
}

function ourCounts(answer: AnnotateAnswer): Map<string, number> {
  return new Map(answer.instructions.map((i) => [i.address, i.samples]));
}

describe('the annotate view answer', () => {
  const cases: [string, string, string][] = [
    ['fp-recurse', 'leaf_work', 'leaf_work-n'],
    ['dwarf-recurse', 'fib', 'fib-n'],
    ['cxx-demangle', 'Accumulator::apply<main::{lambda(int)#1}>', 'accumulator_apply-n'],
    ['multi-event', 'hash_block', 'hash_block-n'],
    ['taskclock-fixed-threads', 'pthread_mutex_lock', 'pthread_mutex_lock-n'],
  ];
  for (const [name, func, oracle] of cases) {
    it(`${name} ${func}: the samples at each instruction are perf annotate -n's`, async () => {
      const service = await open(name);
      const answer = await service.annotate(
        { filters: {}, func: await funcOf(service, func) },
        context(),
      );
      expect(answer.unavailable).toBeUndefined();
      expect(ourCounts(answer)).toEqual(perfCounts(name, oracle));
      expect(answer.samples).toBe([...perfCounts(name, oracle).values()].reduce((a, b) => a + b));
    });
  }

  it('has jump targets, source lines with totals, and the source text when the file is found', async () => {
    const service = await open('fp-recurse');
    const a = await service.annotate(
      { filters: {}, func: await funcOf(service, 'leaf_work') },
      context(),
    );
    expect(a.symbol).toBe('leaf_work');
    expect(a.file).toBe(join(REAL, 'symfs', 'tmp', 'perfreal', 'bin', 'recurse-fp'));
    const jne = a.instructions.findIndex((i) => i.text.startsWith('jne'));
    expect(a.instructions[a.instructions[jne]!.jump]!.address).toBe('1185');
    expect(a.instructions.filter((i) => i.jump >= 0)).toHaveLength(1);
    // lcg() from common.h is inlined into leaf_work
    const imul = a.instructions.find((i) => i.text.startsWith('imul'))!;
    expect(imul.inlined).toBe('lcg');
    expect(a.sources[imul.source]!.path).toBe('/tmp/perfreal/src/common.h');
    const recurse = a.sources.find((s) => s.path === '/tmp/perfreal/src/recurse.c')!;
    expect(recurse.foundAt).toMatch(/recurse\.c$/);
    expect(recurse.lines.length).toBeGreaterThan(0);
    const lineSamples = a.sources.flatMap((s) => s.lineTotals).reduce((n, t) => n + t.samples, 0);
    expect(lineSamples).toBe(a.samples);
  });

  it('counts only the samples of the filters (time range, threads), as the other views do', async () => {
    const service = await open('multi-event');
    const summary = await service.summary(context());
    const threads = await service.threads(context());
    const hasher = threads.find((t) => t.name === 'wk-hash')!.index;
    const half = { start: 0, end: summary.meta.duration / 2 };
    for (const filters of [
      {},
      { range: half },
      { threads: [hasher] },
      { event: 1, range: half },
    ] as Filters[]) {
      const func = await funcOf(service, 'hash_block', filters);
      const a = await service.annotate({ filters, func }, context());
      const top = await service.topFunctions(
        { filters, limit: 1000, weight: 'samples' },
        context(),
      );
      expect(a.samples).toBe(top.rows.find((r) => r.func === func)!.self);
      const byPeriod = await service.topFunctions({ filters, limit: 1000 }, context());
      expect(a.period).toBe(byPeriod.rows.find((r) => r.func === func)!.self);
    }
  });

  it('a cancelled call does not cancel another waiting for the same disassembly', async () => {
    const service = await open('fp-recurse');
    const func = await funcOf(service, 'fib');
    const abort = new AbortController();
    const first = service.annotate(
      { filters: {}, func },
      { signal: abort.signal, emit: () => undefined },
    );
    const second = service.annotate({ filters: { merge: false }, func }, context());
    abort.abort();
    await expect(first).rejects.toMatchObject({ kind: 'cancelled' });
    const answer = await second;
    expect(answer.unavailable).toBeUndefined();
    expect(answer.samples).toBe(170);
  });

  it('annotates the function an inlined one is in', async () => {
    const service = await open('dwarf-recurse');
    const a = await service.annotate(
      { filters: {}, func: await funcOf(service, 'lcg') },
      context(),
    );
    expect(a.name).toBe('lcg');
    expect(a.symbol).toBe('leaf_work');
    expect(a.instructions.some((i) => i.inlined === 'lcg')).toBe(true);
  });

  it('says why kernel and unresolved functions have no disassembly; refuses unknown indexes', async () => {
    const service = await open('fp-recurse');
    const kernel = await service.annotate(
      { filters: {}, func: await funcOf(service, '__get_user_8') },
      context(),
    );
    expect(kernel.unavailable).toMatch(/vmlinux/);
    expect(kernel.instructions).toEqual([]);
    const unknown = await service.annotate(
      { filters: {}, func: await funcOf(service, '[unknown]') },
      context(),
    );
    expect(unknown.unavailable).toMatch(/no symbol/);
    await expect(service.annotate({ filters: {}, func: 1e9 }, context())).rejects.toThrow(
      SessionError,
    );
  });
});
