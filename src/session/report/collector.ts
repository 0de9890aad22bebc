import type { Sample } from '../perf-data/sample';
import type { U64Words } from '../perf-data/u64';
import type { CallchainBuilder, CursorNode } from './callchain-tree';
import type { EntryKey } from './hist-entry';
import type { Hists, HistsConfig } from './hists';
import type { SampleResolver } from './sample-resolver';

/**
 * Adds samples to histograms as perf's hist_entry_iter does (util/hist.c): the sample's own
 * entry, its callchain, and with --children one entry per distinct callchain entry.
 */
export class HistCollector {
  /** perf's callchain cursor outlives a sample: a sample without callchain reuses it. */
  private cursor: CursorNode[] = [];

  constructor(
    private readonly config: HistsConfig,
    private readonly resolver: SampleResolver,
    private readonly chains: CallchainBuilder,
  ) {}

  add(hists: Hists, s: Sample, words: U64Words | undefined, trace: string | undefined): void {
    const self = this.resolver.location(s, trace);
    const { cumulate, callchains, callerOrder } = this.config;
    if (words && (callchains || cumulate)) {
      this.cursor = this.resolver.callchain(self.thread, words, callerOrder, s);
    }
    hists.nrSamples++;
    const he = hists.add(self, s.period, true);
    // hist_entry__append_callchain: only for a sample that has a callchain.
    if (callchains && words) this.chains.append(he.callchain!, this.cursor, s.period);
    if (cumulate) this.addCumulative(hists, self, s.period);
  }

  /**
   * iter_add_next_cumulative_entry: every callchain entry gets the period once per sample
   * (recursion is counted once), and the rest of the chain from it as its call graph.
   */
  private addCumulative(hists: Hists, self: EntryKey, period: number): void {
    const cursor = this.cursor;
    const seen = new Set<string>([hists.identity(self)]);
    // fill_callchain_info keeps the level of the previous entry for an address in no map.
    let level = self.level;
    for (let i = 0; i < cursor.length; i++) {
      const node = cursor[i]!;
      if (node.sym || node.map) level = node.kernel ? 'k' : '.';
      const key: EntryKey = {
        thread: self.thread,
        comm: self.comm,
        cpu: self.cpu,
        map: node.map,
        sym: node.sym,
        ip: node.ip,
        level,
        trace: self.trace,
        filtered: self.filtered,
      };
      const identity = hists.identity(key);
      if (seen.has(identity)) continue;
      seen.add(identity);
      const he = hists.add(key, period, false);
      if (this.config.callchains) this.chains.append(he.callchain!, cursor.slice(i), period);
    }
  }
}
