/**
 * `perfws report` appends the call graphs of the samples of one chain once, summed
 * (HistCollector's groups), and replays the entries an earlier sample of the same location and
 * chain found while the tree on the way to them is unchanged: the entries (twins included), their
 * periods and trees, counts included, must be those of adding and appending every sample.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Pipeline } from '../../src/session/pipeline';
import type { EventDesc } from '../../src/session/perf-data/evlist';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { CallchainBuilder, type CallchainNode } from '../../src/session/report/callchain-tree';
import { HistCollector } from '../../src/session/report/collector';
import { DsoOrder } from '../../src/session/report/dso-order';
import { Hists } from '../../src/session/report/hists';
import { resolveReportConfig } from '../../src/session/report/report-config';
import { SampleResolver } from '../../src/session/report/sample-resolver';
import type { SymbolOptions } from '../../src/session/symbols';
import { FIXTURES, recording } from '../support/recordings';
import { fixtureSymbols } from '../support/session';

/** A call-graph tree as text: each node's entries, hit, count, then its children the same way. */
function treeText(node: CallchainNode, depth = 0): string {
  // the addresses too: a node keeps the entries of the first chain through it
  const entries = node.val.map((n) => `${n.sym?.name ?? ''}@${n.ip.hi}:${n.ip.lo}`).join(' < ');
  let text = `${' '.repeat(depth)}${entries} hit=${node.hit}+${node.childrenHit} count=${node.count}+${node.childrenCount}\n`;
  for (const child of node.children) text += treeText(child, depth + 1);
  return text;
}

/** Every entry of every event's histogram, with its periods and call graph, as text. */
async function callGraphs(
  dir: string,
  grouped: boolean,
  children: boolean,
  maxCursors?: number,
): Promise<string> {
  return callGraphsOf(join(dir, 'perf.data'), fixtureSymbols(dir), grouped, children, maxCursors);
}

async function callGraphsOf(
  path: string,
  symbols: SymbolOptions,
  grouped: boolean,
  children: boolean,
  /** Cursors kept before the groups are appended and the cursors forgotten (default: HistCollector's). */
  maxCursors?: number,
): Promise<string> {
  const reader = PerfDataReader.open(path);
  try {
    const config = resolveReportConfig(reader, { children });
    const pipeline = new Pipeline(reader, {
      keepExitedThreads: true,
      symbols,
    });
    const chains = new CallchainBuilder(new DsoOrder(reader.info.buildIds).rank);
    const histsConfig = { ...config, keys: config.keys };
    const collector = new HistCollector(
      histsConfig,
      SampleResolver.forPipeline(pipeline, config),
      chains,
      grouped,
      maxCursors,
    );
    const hists = new Map<EventDesc, Hists>();
    await pipeline.run({
      sample(record, callchain) {
        const event = record.sample.event;
        let h = hists.get(event);
        if (!h) hists.set(event, (h = new Hists(event, histsConfig, false, chains)));
        collector.add(h, record.sample, callchain, undefined);
      },
    });
    collector.flush();
    let text = '';
    for (const [event, h] of hists) {
      // entries made, twins included (perf's comparison can miss an equal entry and make another)
      text += `event ${event.name}: ${h.nrSamples} samples, ${h.size} entries made\n`;
      for (const e of h.collapsedEntries()) {
        text += `${h.identity(e)} period=${e.period} acc=${e.accPeriod} n=${e.nrEvents} depth=${e.callchain?.maxDepth}\n`;
        if (e.callchain) text += treeText(e.callchain.node, 1);
      }
    }
    return text;
  } finally {
    reader.close();
  }
}

describe('report call graphs appended once per chain', () => {
  // several threads and processes sharing chains, an exec, two events, recursion
  for (const name of [
    'real/forkexec',
    'real/multi-event',
    'real/fp-recurse',
    'deferred/forkexec-edge',
  ]) {
    for (const children of [true, false]) {
      test(`${name}${children ? ' --children' : ' --no-children'}: the same trees as per sample`, async () => {
        const dir = join(FIXTURES, name);
        const perSample = await callGraphs(dir, false, children);
        expect(perSample).toContain('count=');
        expect(await callGraphs(dir, true, children)).toBe(perSample);
        // groups appended and cursors forgotten every few cursors: a chain's samples come in
        // several groups, the replays start over
        expect(await callGraphs(dir, true, children, 5)).toBe(perSample);
      });
    }
  }

  test('samples of one chain in different functions of their own: each adds its own entries', async () => {
    // recurse-fp's code (symfs): leaf_work at 0x1169, fib at 0x120b. The first and third samples
    // are in leaf_work, where the chain starts; the second is in fib, so the chain's first entry
    // (leaf_work) is an entry of its own for it and its last (fib) is not.
    const path = recording(`
      event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD
      comm 10/10 t=1 recurse-fp
      mmap 10/10 t=2 0x555555555000+0x1000 @0x1000 /tmp/perfreal/bin/recurse-fp
      sample 10/10 t=10 ip=0x555555555170 period=3 chain=user:555555555170,555555555210 misc=2
      sample 10/10 t=20 ip=0x555555555210 period=5 chain=user:555555555170,555555555210 misc=2
      sample 10/10 t=30 ip=0x555555555170 period=7 chain=user:555555555170,555555555210 misc=2
    `);
    const symbols = { symfs: join(FIXTURES, 'real', 'symfs') };
    const perSample = await callGraphsOf(path, symbols, false, true);
    expect(perSample).toContain('leaf_work');
    expect(perSample).toContain('fib');
    expect(await callGraphsOf(path, symbols, true, true)).toBe(perSample);
  });

  test('replayed entries are the entries walks find: twins, rotations, an exec, a rename', async () => {
    // Unresolved addresses (no maps, no kallsyms) compare by (int64)(right - left), which wraps
    // between addresses 2^63 apart (here user ones and frame-pointer garbage): perf's tree misses
    // equal entries and makes twins, and where depends on the tree's shape. Samples repeat
    // chains while new entries keep rotating the tree.
    const lines = ['event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU'];
    lines.push('comm 10/10 t=1 worker', 'comm 20/20 t=1 other', 'comm 20/21 t=1 other');
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const user = (i: number): string =>
      (i % 3 === 0 ? 0x8000000000400000n + 0x40n * BigInt(i) : 0x400000 + 0x40 * i).toString(16);
    const kernel = (i: number): string => (0xffffffff81000000 + 0x40 * i).toString(16);
    const chains = Array.from({ length: 40 }, (_, c) => {
      const k = Array.from({ length: 1 + (c % 3) }, (_, i) => kernel((c * 7 + i * 13) % 50));
      const u = Array.from({ length: 2 + (c % 5) }, (_, i) => user((c * 11 + i * 17) % 60));
      return c % 4 === 0 ? `user:${u.join(',')}` : `kernel:${k.join(',')};user:${u.join(',')}`;
    });
    for (let t = 10; t < 1210; t++) {
      // new chains come in over time, so entries are still being made late
      const c = next(Math.min(chains.length, 4 + (t >> 5)));
      const [pid, tid] = [
        [10, 10],
        [20, 20],
        [20, 21],
      ][next(3)]!;
      const kernelSide = chains[c]!.startsWith('kernel');
      const ip = /:([0-9a-f]+)/.exec(chains[c]!)![1]!; // the chain's first entry
      lines.push(
        `sample ${pid}/${tid} t=${t} cpu=${next(2)} period=${1 + next(5)} ip=0x${ip} chain=${chains[c]} misc=${kernelSide ? 1 : 2}`,
      );
      if (t === 600) lines.push('comm 20/21 t=600 renamed');
      if (t === 800) lines.push('mmap 10/10 t=800 0x400000+0x1000 @0 /tmp/none/app');
    }
    const path = recording(lines.join('\n'));
    const symbols = { symfs: join(FIXTURES, 'no-such-symfs') };
    for (const children of [true, false]) {
      const perSample = await callGraphsOf(path, symbols, false, children);
      const made = Number(/(\d+) entries made/.exec(perSample)![1]);
      const shown = perSample.split('\n').filter((l) => l.includes(' period=')).length;
      // the scenario makes twins (merged when collapsed), or it would not test the walks
      if (children) expect(made).toBeGreaterThan(shown);
      expect(await callGraphsOf(path, symbols, true, children)).toBe(perSample);
      expect(await callGraphsOf(path, symbols, true, children, 3)).toBe(perSample);
    }
  });
});
