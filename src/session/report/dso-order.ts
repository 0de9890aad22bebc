import type { Dso } from '../machine/maps';
import type { BuildIdEntry } from '../perf-data/features';

/**
 * The order of perf's `struct dso` addresses, which decides how callchain siblings of equal
 * weight are ordered (match_chain compares DSO pointers). perf allocates a DSO for every entry
 * of the build-id table while it reads the header, then one per new file as MMAP records arrive;
 * allocations in that order get rising addresses. The rank reproduces that order: build-id table
 * position first, then the machine's creation order. No DSO (NULL) ranks lowest.
 */
export class DsoOrder {
  private readonly headerRank = new Map<string, number>();

  constructor(buildIds: readonly BuildIdEntry[]) {
    for (const b of buildIds) {
      if (!this.headerRank.has(b.filename)) this.headerRank.set(b.filename, this.headerRank.size);
    }
  }

  readonly rank = (dso: Dso | undefined): number => {
    if (!dso) return -1;
    const fromHeader = this.headerRank.get(dso.name);
    if (fromHeader !== undefined) return fromHeader;
    return this.headerRank.size + dso.id;
  };
}
