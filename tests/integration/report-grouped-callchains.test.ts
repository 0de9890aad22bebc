/**
 * `perfws report` appends the call graphs of the samples of one chain once, summed
 * (HistCollector's groups): the trees, counts included, must be those of appending every sample.
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
async function callGraphs(dir: string, grouped: boolean, children: boolean): Promise<string> {
  return callGraphsOf(join(dir, 'perf.data'), fixtureSymbols(dir), grouped, children);
}

async function callGraphsOf(
  path: string,
  symbols: SymbolOptions,
  grouped: boolean,
  children: boolean,
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
      text += `event ${event.name}: ${h.nrSamples} samples\n`;
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
});
