/**
 * perf's struct sym_hist: one symbol's samples for one event, by byte offset in the symbol
 * (util/annotate.c __symbol__inc_addr_samples), and the sums over an instruction's bytes
 * (calc_percent).
 */
export class SymHist {
  nrSamples = 0;
  period = 0;
  private readonly byOffset = new Map<number, { samples: number; period: number }>();
  private sorted: { offsets: number[]; samples: number[]; period: number[] } | undefined;

  add(offset: number, period: number): void {
    this.nrSamples++;
    this.period += period;
    const at = this.byOffset.get(offset);
    if (at) {
      at.samples++;
      at.period += period;
    } else {
      this.byOffset.set(offset, { samples: 1, period });
    }
    this.sorted = undefined;
  }

  /** Offsets that have samples, in order, with their counts (what the app shows). */
  entries(): { offset: number; samples: number; period: number }[] {
    return [...this.byOffset]
      .map(([offset, v]) => ({ offset, ...v }))
      .sort((a, b) => a.offset - b.offset);
  }

  /** Samples and period at offsets in [from, to): an instruction's share (calc_percent). */
  sum(from: number, to: number): { samples: number; period: number } {
    const s = this.prefixSums();
    const a = lowerBound(s.offsets, from);
    const b = Math.max(a, lowerBound(s.offsets, to));
    return { samples: s.samples[b]! - s.samples[a]!, period: s.period[b]! - s.period[a]! };
  }

  private prefixSums(): { offsets: number[]; samples: number[]; period: number[] } {
    if (this.sorted) return this.sorted;
    const entries = this.entries();
    const offsets = entries.map((e) => e.offset);
    const samples = [0];
    const period = [0];
    for (const e of entries) {
      samples.push(samples[samples.length - 1]! + e.samples);
      period.push(period[period.length - 1]! + e.period);
    }
    this.sorted = { offsets, samples, period };
    return this.sorted;
  }
}

function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
