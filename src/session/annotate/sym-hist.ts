import { lowerBound } from '../query/filters';

/**
 * perf's struct sym_hist: one symbol's samples for one event, by byte offset in the symbol
 * (util/annotate.c __symbol__inc_addr_samples), and the sums over an instruction's bytes
 * (calc_percent).
 */
export class SymHist {
  nrSamples = 0;
  period = 0;
  private readonly byOffset = new Map<number, { samples: number; period: number }>();
  private sorted: { offsets: Float64Array; samples: number[]; period: number[] } | undefined;

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

  private prefixSums(): { offsets: Float64Array; samples: number[]; period: number[] } {
    if (this.sorted) return this.sorted;
    const entries = this.entries();
    const offsets = Float64Array.from(entries, (e) => e.offset);
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
