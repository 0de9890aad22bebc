/**
 * A client chooses what a query costs: every list is deduplicated and every size bounded at the
 * session's service boundary, and what is absurd is a `bad-request` naming the argument.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionService } from '../../src/session/service';
import type { SessionError } from '../../src/shared/contract/errors';
import { encodeMessage } from '../../src/shared/rpc';
import { context, openFixture } from '../support/session';

let service: SessionService;
beforeAll(async () => {
  service = await openFixture('real/multi-event/perf.data');
});

const size = (answer: unknown): number => encodeMessage(answer).length;

/** The error a call fails with, as the client receives it (kind and message). */
async function refusal(call: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await call;
  } catch (e) {
    return (e as SessionError).serialize();
  }
  throw new Error('the call was answered');
}

describe('repeated list entries', () => {
  it('a timeline naming one thread 1000 times answers as if it were named once', async () => {
    const once = await service.timeline({ filters: { threads: [2] }, bins: 4000 }, context());
    const repeated = await service.timeline(
      { filters: { threads: Array<number>(1000).fill(2) }, bins: 4000 },
      context(),
    );
    expect(repeated.rows).toHaveLength(1);
    expect(size(repeated)).toBe(size(once));
  });

  it('threads and pids named several times count once, in the order first named', async () => {
    const threads = await service.threads(context());
    const pid = threads[0]!.pid;
    const answer = await service.timeline(
      { filters: { threads: [3, 1, 3, 1, 3], pids: [pid, pid, pid] }, bins: 10 },
      context(),
    );
    expect(answer.rows.map((r) => r.thread)).toEqual([3, 1]);
  });
});

describe('absurd arguments are refused', () => {
  it.each([
    [
      'timeline bins',
      () => service.timeline({ filters: {}, bins: 1e9 }, context()),
      /timeline bins must be an integer from 1 to 16384 \(got 1000000000\)/,
    ],
    [
      'timeline bins',
      () => service.timeline({ filters: {}, bins: Number.NaN }, context()),
      /timeline bins/,
    ],
    [
      'a threads list',
      () =>
        service.timeline(
          { filters: { threads: Array<number>(70_000).fill(0) }, bins: 10 },
          context(),
        ),
      /filters\.threads has 70000 entries; at most 65536/,
    ],
    [
      'a threads value',
      () =>
        service.timeline({ filters: { threads: '0' as unknown as number[] }, bins: 10 }, context()),
      /filters\.threads must be a list/,
    ],
    [
      'a pid',
      () => service.timeline({ filters: { pids: [1.5] }, bins: 10 }, context()),
      /filters\.pids must be an integer/,
    ],
    [
      'a page size',
      () => service.samples({ thread: 0, filters: {}, offset: 0, limit: 1e7 }, context()),
      /sample page limit must be an integer from 0 to 5000/,
    ],
    [
      'a merge status',
      () =>
        service.samples(
          {
            thread: 0,
            filters: {},
            offset: 0,
            limit: 10,
            mergeStatus: 'lost' as unknown as 'merged',
          },
          context(),
        ),
      /sample merge status must be one of classic, merged, unmerged/,
    ],
    [
      'a page offset',
      () => service.samples({ thread: 0, filters: {}, offset: -1, limit: 10 }, context()),
      /sample page offset/,
    ],
    [
      'a flame graph width',
      () => service.flameGraph({ filters: {}, width: 1e9 }, context()),
      /flame graph width must be an integer from 1 to 131072/,
    ],
    [
      'a flame chart width',
      () => service.flameChart({ thread: 0, filters: {}, width: 0 }, context()),
      /flame chart width/,
    ],
    [
      'a focus path',
      () =>
        service.flameGraph(
          { filters: {}, width: 10, focus: Array<number>(70_000).fill(1) },
          context(),
        ),
      /focus has 70000 entries/,
    ],
    [
      'a search pattern',
      () => service.flameGraph({ filters: {}, width: 10, search: 'x'.repeat(5000) }, context()),
      /search pattern has 5000 characters; at most 1000/,
    ],
    [
      'a top functions limit',
      () => service.topFunctions({ filters: {}, limit: 1e8 }, context()),
      /top functions limit/,
    ],
    [
      'a callers depth',
      () => service.callers({ filters: {}, func: 0, maxDepth: 1e6 }, context()),
      /callers maxDepth/,
    ],
    [
      'a weight',
      () =>
        service.topFunctions({ filters: {}, limit: 10, weight: 'bytes' as 'period' }, context()),
      /top functions weight must be one of samples, period/,
    ],
    ['a stack index', () => service.callchain(0.5, context()), /stack must be an integer/],
    [
      'an annotate threads list',
      () =>
        service.annotate(
          { filters: { threads: Array<number>(70_000).fill(0) }, func: 0 },
          context(),
        ),
      /filters\.threads has 70000 entries/,
    ],
    [
      'an annotate func',
      () => service.annotate({ filters: {}, func: -1 }, context()),
      /func must be/,
    ],
    [
      'markers bins',
      () => service.markers({ filters: {}, bins: 1e6 }, context()),
      /markers bins must be an integer from 1 to 16384/,
    ],
    [
      'a marker kind',
      () =>
        service.markers({ filters: {}, bins: 10, kinds: ['switch', 'gc' as 'comm'] }, context()),
      /markers kind must be one of lost-events, lost-samples, comm, exec, mmap, tracepoint, switch/,
    ],
    [
      'a markers limit',
      () => service.markers({ filters: {}, bins: 10, limit: 1e9 }, context()),
      /markers limit must be an integer from 0 to 2000/,
    ],
    [
      'CPU tracks bins',
      () => service.cpuTracks({ filters: {}, bins: 5000 }, context()),
      /CPU tracks bins must be an integer from 1 to 4096/,
    ],
    [
      'a CPU list',
      () => service.cpuTracks({ filters: { cpus: [-1] }, bins: 10 }, context()),
      /filters\.cpus must be an integer from 0 to 65536/,
    ],
    [
      'a hover thread',
      () => service.sampleAt({ thread: 1e6, time: 0, filters: {} }, context()),
      /no thread 1000000/,
    ],
    [
      'a hover time',
      () => service.sampleAt({ thread: 0, time: Number.NaN, filters: {} }, context()),
      /sample-at time must be a number of ns/,
    ],
    [
      'hover frames',
      () => service.sampleAt({ thread: 0, time: 0, filters: {}, maxFrames: 1000 }, context()),
      /sample-at maxFrames must be an integer from 1 to 32/,
    ],
    [
      'an off-CPU timeline weight (the timeline draws off-CPU time on its own)',
      () => service.timeline({ filters: {}, bins: 10, weight: 'off-cpu' as 'period' }, context()),
      /timeline weight must be one of samples, period/,
    ],
    [
      'a query that is not an object',
      () => service.timeline(null as never, context()),
      /timeline query must be an object/,
    ],
  ])('%s', async (_what, call, message) => {
    const error = await refusal(call());
    expect(error.kind).toBe('bad-request');
    expect(error.message).toMatch(message);
  });

  it('a timeline of more cells than the budget, even with every thread named once', async () => {
    const threads = (await service.threads(context())).map((t) => t.index);
    await expect(
      service.timeline({ filters: { threads }, bins: 16_384 }, context()),
    ).resolves.toBeDefined();
    const many = Array.from({ length: 300 }, (_, i) => i);
    const error = await refusal(
      service.timeline({ filters: { threads: many }, bins: 16_384 }, context()),
    );
    expect(error).toEqual({
      kind: 'bad-request',
      message:
        'a timeline of 300 threads × 16384 bins is more than 4194304 cells: ask for fewer threads or bins',
    });
  });
});
