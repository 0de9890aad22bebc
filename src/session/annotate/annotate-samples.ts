/**
 * What `perf annotate` keeps of the samples (builtin-annotate.c process_sample_event and
 * evsel__add_sample): each sample's own ip resolved to a map and a symbol, counted in that
 * symbol's histogram for the sample's event. Callchains play no part, so a deferred sample counts
 * where it was taken whether its user stack was merged or not (merging never moves the ip).
 *
 * Not reproduced: perf deletes every symbol a sample hits that is not the `-s` symbol from its
 * DSO's symbol tree, so a later sample there can only find a symbol that overlaps it; symbol
 * tables without overlaps (nearly all) behave the same either way.
 */
import type { EventDesc } from '../perf-data/evlist';
import { CpuMode, type Location } from '../machine/machine';
import type { Dso } from '../machine/maps';
import type { Pipeline, PipelineResult } from '../pipeline';
import { bigFromSigned } from '../perf-data/u64';
import { SymHist } from './sym-hist';

/** A symbol samples fell in: its DSO, name and [start, end) in the DSO's map_ip space. */
export interface SampledSymbol {
  dso: Dso;
  /** The DSO's build-id: recorded, else read from its file (as perf's dso__load sets it). */
  buildId?: string;
  name: string;
  start: bigint;
  /** Exclusive; unknown (= start) for kernel symbols, which are never disassembled. */
  end: bigint;
}

/** perf's hist entry under annotate's sort order (dso,symbol): one per symbol and event. */
export interface AnnotateEntry {
  sym: SampledSymbol;
  hist: SymHist;
}

/** One event's entries and the samples it kept (perf's hists->stats.nr_samples). */
export interface EventSamples {
  event: EventDesc;
  nrSamples: number;
  entries: AnnotateEntry[];
}

/**
 * Runs the pipeline and collects the histograms. `symbol` is `-s`: samples in other symbols
 * (or in none) are dropped before they count.
 */
export async function annotateSamples(
  pipeline: Pipeline,
  symbol: string | undefined,
): Promise<{ events: Map<EventDesc, EventSamples>; result: PipelineResult }> {
  const { machine, resolver, symbols } = pipeline;
  const events = new Map<EventDesc, EventSamples>();
  // per DSO and address: the symbol (one object per symbol), null for none; a recording hits
  // the same few thousand addresses millions of times
  const cache = new Map<number, Map<number, SampledSymbol | null>>();
  const canonical = new Map<string, SampledSymbol>();
  const entries = new Map<EventDesc, Map<SampledSymbol, AnnotateEntry>>();

  const lookup = (loc: Location): SampledSymbol | undefined => {
    const { dso } = loc.map;
    let byAddr = cache.get(dso.id);
    if (!byAddr) {
      byAddr = new Map();
      cache.set(dso.id, byAddr);
    }
    let sym = byAddr.get(loc.addr);
    if (sym === undefined) {
      const found = symbolAt(loc);
      if (found) {
        const key = `${dso.id}\u0000${found.start}\u0000${found.name}`;
        sym = canonical.get(key) ?? { dso, ...found };
        canonical.set(key, sym);
      } else sym = null;
      byAddr.set(loc.addr, sym);
    }
    return sym ?? undefined;
  };

  const symbolAt = (loc: Location) => {
    const { dso } = loc.map;
    const addr = loc.addr;
    if (dso.kind === 'file' || dso.kind === 'vdso' || dso.kind === 'jit') {
      const table = resolver.dso({ path: dso.name, buildId: dso.buildId });
      const found = table.find(addr >= 0 ? addr : bigFromSigned(addr));
      return (
        found && { name: found.name, start: found.start, end: found.end, buildId: table.buildId }
      );
    }
    const hit = symbols.lookup(loc);
    if (!hit) return undefined;
    const start = bigFromSigned(addr) - BigInt(hit.offset);
    return { name: hit.name, start, end: start };
  };

  const result = await pipeline.run({
    sample(record) {
      const s = record.sample;
      const cpumode = s.misc & 7;
      const thread = machine.findnewThread(s.pid, s.tid);
      const loc =
        cpumode === CpuMode.KERNEL || cpumode === CpuMode.USER
          ? machine.findMap(thread, cpumode, s.ip)
          : undefined;
      const sym = loc && lookup(loc);
      if (symbol !== undefined && sym?.name !== symbol) return;
      let ev = events.get(s.event);
      if (!ev) {
        ev = { event: s.event, nrSamples: 0, entries: [] };
        events.set(s.event, ev);
        entries.set(s.event, new Map());
      }
      ev.nrSamples++;
      if (!sym || !loc) return;
      const ofEvent = entries.get(s.event)!;
      let entry = ofEvent.get(sym);
      if (!entry) {
        entry = { sym, hist: new SymHist() };
        ofEvent.set(sym, entry);
        ev.entries.push(entry);
      }
      entry.hist.add(Number(bigFromSigned(loc.addr) - sym.start), s.period);
    },
  });
  for (const ev of events.values()) ev.entries.sort(outputOrder);
  return { events, result };
}

/**
 * hists__output_resort under annotate's fields: period (here the histogram's), then the DSO's
 * short name, then the symbol's address.
 */
function outputOrder(a: AnnotateEntry, b: AnnotateEntry): number {
  if (a.hist.period !== b.hist.period) return b.hist.period - a.hist.period;
  const an = shortName(a.sym.dso.name);
  const bn = shortName(b.sym.dso.name);
  if (an !== bn) return an < bn ? -1 : 1;
  return a.sym.start < b.sym.start ? -1 : a.sym.start > b.sym.start ? 1 : 0;
}

function shortName(path: string): string {
  return path.startsWith('[') ? path : path.slice(path.lastIndexOf('/') + 1);
}
