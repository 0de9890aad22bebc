import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callTreePathKeys,
  diffFlameGraphs,
  pathKeys,
  sharesByPath,
} from '../../src/shared/compare/flame-graph-diff';
import type { Profile } from '../../src/shared/model';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { callTree } from '../../src/session/query/call-tree';
import { flameGraph } from '../../src/session/query/flame-graph';
import { FIXTURES } from '../support/recordings';
import { FIXTURE_SYMBOLS } from '../support/session';

/** The pairs of real/diff: the same program recorded for 0.1 s and for 0.3 s. */
const DIFF = join(FIXTURES, 'real', 'diff');
const SYMBOLS = { ...FIXTURE_SYMBOLS, kallsyms: join(DIFF, 'kallsyms') };

async function load(name: string): Promise<Profile> {
  const reader = PerfDataReader.open(join(DIFF, name, 'perf.data'));
  try {
    return await loadProfile(reader, { symbols: SYMBOLS, singleThread: true });
  } finally {
    reader.close();
  }
}

/** Wide enough that no node is folded away. */
const whole = (p: Profile) => flameGraph(p, { filters: {}, width: 1e9 });

/**
 * Each call path's share of all periods, counted here from the samples themselves (function
 * name and library of every frame, root first), independently of the flame graph's tree.
 */
function pathShares(p: Profile): Map<string, number> {
  const shares = new Map<string, number>();
  let total = 0;
  for (const th of p.threads) {
    const s = th.samples;
    for (let i = 0; i < s.length; i++) {
      total += s.period[i]!;
      const frames: string[] = [];
      for (let n = s.stack[i]!; n >= 0; n = p.stacks.prefix[n]!) {
        const func = p.frames.func[p.stacks.frame[n]!]!;
        const lib = p.funcs.lib[func]!;
        const name = p.strings[p.funcs.name[func]!]!;
        frames.unshift(`${name}\u0000${lib < 0 ? '[unknown]' : p.strings[p.libs.name[lib]!]}`);
      }
      const path: string[] = [];
      const seen = new Set<string>();
      for (const f of frames) {
        path.push(f);
        const key = path.join('\u0001');
        if (seen.has(key)) continue;
        seen.add(key);
        shares.set(key, (shares.get(key) ?? 0) + s.period[i]!);
      }
    }
  }
  for (const [k, w] of shares) shares.set(k, w / total);
  return shares;
}

describe('the differential flame graph matches call paths by function name and library', () => {
  it('threads 0.1 s vs 0.3 s: every share is the path share of its own recording', async () => {
    const [base, next] = [await load('threads-0.1'), await load('threads-0.3')];
    const baseAnswer = whole(base);
    const nextAnswer = whole(next);
    const d = diffFlameGraphs(nextAnswer, baseAnswer);
    const expectedNew = pathShares(next);
    const expectedBase = pathShares(base);
    const keys = pathKeys(nextAnswer);
    expect(keys.length).toBeGreaterThan(20);
    let onlyNew = 0;
    keys.forEach((k, i) => {
      expect(d.newShare[i]).toBeCloseTo(expectedNew.get(k)!, 12);
      expect(d.baseShare[i]).toBeCloseTo(expectedBase.get(k) ?? 0, 12);
      expect(d.onlyNew[i]).toBe(expectedBase.has(k) ? 0 : 1);
      onlyNew += d.onlyNew[i]!;
    });
    expect(onlyNew).toBeGreaterThan(0);
    // paths only the baseline has: the outermost of those the new recording lacks
    const gone = [...expectedBase.keys()].filter((k) => !expectedNew.has(k));
    const outermost = gone.filter((k) => {
      const parent = k.slice(0, Math.max(0, k.lastIndexOf('\u0001')));
      return !parent || expectedNew.has(parent);
    });
    expect(d.onlyBase.count).toBe(outermost.length);
    expect(d.onlyBase.share).toBeCloseTo(
      outermost.reduce((s, k) => s + expectedBase.get(k)!, 0),
      12,
    );
    expect(d.maxDelta).toBeGreaterThan(0);
  });

  it('a recording against itself changes nothing', async () => {
    const p = await load('cxx-0.1');
    const d = diffFlameGraphs(whole(p), whole(p));
    expect(d.maxDelta).toBe(0);
    expect([...d.onlyNew].every((x) => x === 0)).toBe(true);
    expect(d.onlyBase).toEqual({ count: 0, share: 0 });
  });
});

describe("the call tree's differential columns use the same call paths", () => {
  it("a top-down row's key finds its own share in the flame graph of the same recording", async () => {
    const p = await load('threads-0.3');
    const roots = callTree(p, { filters: {}, expanded: [] });
    const expanded = [...roots.func].map((f) => [f]);
    const tree = callTree(p, { filters: {}, expanded });
    const shares = sharesByPath(whole(p));
    const keys = callTreePathKeys(tree);
    expect(keys.length).toBeGreaterThan(roots.func.length);
    keys.forEach((k, i) => {
      expect(shares.get(k)).toBeCloseTo(tree.nodeTotal[i]! / tree.total, 12);
    });
  });
});
