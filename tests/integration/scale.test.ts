/**
 * A recording replicated N times (times shifted, same threads) gives the same answers scaled:
 * N times the samples and periods, the same percentages, and folded stacks N times heavier.
 * The multi-GB run of the same check is `scripts/replicate.ts` + `npm run bench` (see README).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/recordings';
import { replicate } from '../support/replicate';
import { context, FIXTURE_SYMBOLS } from '../support/session';
import type { Progress } from '../../src/shared/contract';
import { SessionService } from '../../src/session/service';
import { PerfDataReader } from '../../src/session/perf-data/reader';

const COPIES = 6;

async function open(path: string): Promise<SessionService> {
  const s = new SessionService();
  await s.open({ path, symbols: FIXTURE_SYMBOLS }, context());
  return s;
}

describe('a replicated recording answers like the original, scaled', () => {
  it.each(['fp-recurse', 'switch-events'])('%s x6', async (name) => {
    const original = join(FIXTURES, 'real', name, 'perf.data');
    const big = join(mkdtempSync(join(tmpdir(), 'perfws-scale-')), 'big.data');
    replicate(original, big, COPIES);
    const [small, large] = [await open(original), await open(big)];
    const [a, b] = [await small.summary(context()), await large.summary(context())];
    expect(b.meta.samples).toBe(COPIES * a.meta.samples);
    expect(b.meta.duration).toBeGreaterThan((COPIES - 1) * a.meta.duration);
    const [ta, tb] = [
      await small.topFunctions({ filters: {}, limit: 50 }, context()),
      await large.topFunctions({ filters: {}, limit: 50 }, context()),
    ];
    expect(tb.total).toBe(COPIES * ta.total);
    expect(tb.rows.map((r) => [r.name, r.self / tb.total])).toEqual(
      ta.rows.map((r) => [r.name, r.self / ta.total]),
    );
    const folded = async (s: SessionService): Promise<Map<string, number>> => {
      const events: { name: string; data: unknown }[] = [];
      await s.exportFolded({ filters: {} }, context(events));
      const lines = events.flatMap((e) =>
        e.name === 'chunk' ? (e.data as string).split('\n').filter(Boolean) : [],
      );
      return new Map(
        lines.map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
      );
    };
    const [fa, fb] = [await folded(small), await folded(large)];
    expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
    for (const [k, v] of fa) expect(fb.get(k)).toBe(COPIES * v);
  });
});

describe('a large recording is read a chunk at a time', () => {
  it('reports progress and yields to back pressure after every 4 MB read', async () => {
    const big = join(mkdtempSync(join(tmpdir(), 'perfws-scale-')), 'big.data');
    const { bytes } = replicate(join(FIXTURES, 'real', 'fp-recurse', 'perf.data'), big, 60);
    const reader = PerfDataReader.open(big);
    const progress: number[] = [];
    let paced = 0;
    await reader.read(() => {}, {
      onProgress: (done) => progress.push(done),
      pace: async () => {
        paced++;
      },
    });
    reader.close();
    const chunks = Math.floor(bytes / (4 << 20));
    expect(chunks).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeGreaterThanOrEqual(chunks);
    expect(paced).toBeGreaterThanOrEqual(chunks);
    // steady: no step covers much more than one chunk
    const steps = progress.map((d, i) => d - (progress[i - 1] ?? 0));
    expect(Math.max(...steps)).toBeLessThan(2 * (4 << 20));
  });
});

describe('opening reports its phases', () => {
  it("ends with a 'building' progress event once every byte is read", async () => {
    const events: { name: string; data: unknown }[] = [];
    const path = join(FIXTURES, 'real', 'fp-recurse', 'perf.data');
    await new SessionService().open({ path, symbols: FIXTURE_SYMBOLS }, context(events));
    const progress = events.filter((e) => e.name === 'progress').map((e) => e.data as Progress);
    const reading = progress.slice(0, -1);
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.every((p) => p.phase === 'reading')).toBe(true);
    const total = reading.at(-1)!.total; // the data section's size
    expect(total).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ phase: 'building', done: total, total });
  });
});
