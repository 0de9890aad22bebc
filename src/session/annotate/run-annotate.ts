/**
 * `perf annotate --stdio [-s SYMBOL]`: for each event, each sampled symbol (hottest first; only
 * SYMBOL with -s) disassembled by objdump with the share of the event's samples in that symbol
 * at each instruction, as perf 6.1 prints it (builtin-annotate.c hists__find_annotations,
 * util/annotate.c symbol__tty_annotate).
 */
import path from 'node:path';
import { Pipeline, type PipelineResult } from '../pipeline';
import type { PerfDataReader } from '../perf-data/reader';
import { TraceFormatter } from '../script/trace';
import type { SymbolOptions } from '../symbols';
import { annotateSamples, type AnnotateEntry } from './annotate-samples';
import { disassembleSymbol, type Disassembly, DisassemblyError } from './disassemble';
import { printAnnotation } from './stdio-print';

export interface AnnotateOptions {
  /** -s: only this symbol (perf compares the name as printed, demangled unless --no-demangle). */
  symbol?: string;
  /** -n: sample counts instead of percentages. */
  showNrSamples?: boolean;
  /** Merge deferred callchains (default); it changes nothing here, the ips stay where they are. */
  merge?: boolean;
  symbols?: SymbolOptions;
  /** perf's --objdump. */
  objdump?: string;
  /** Receives the output as byte strings (write them with the latin1 encoding). */
  write: (bytes: string) => void;
  /** perf's own error messages (stderr), as perf words them. */
  error: (text: string) => void;
}

export interface AnnotateResult extends PipelineResult {
  /** No sample passed (perf: "The perf.data data has no samples!"). */
  noSamples: boolean;
}

export async function runAnnotate(
  reader: PerfDataReader,
  options: AnnotateOptions,
): Promise<AnnotateResult> {
  // nothing of a sample is kept past its delivery: the reader may reuse its buffers
  const pipeline = new Pipeline(reader, {
    merge: options.merge,
    symbols: options.symbols,
    recycleBuffers: true,
  });
  const trace = new TraceFormatter(reader);
  if (!reader.header.pipe) trace.nameEvents();
  const { events, result } = await annotateSamples(pipeline, options.symbol);
  if (reader.header.pipe) trace.nameEvents();

  let total = 0;
  for (const ev of events.values()) total += ev.nrSamples;
  if (total === 0) {
    options.error(`Error:\nThe ${reader.path} data has no samples!\n`);
    return { ...result, noSamples: true };
  }

  const warned = new Set<number>(); // perf's dso->annotate_warned
  const disassemblies = new Map<string, Promise<Disassembly>>();
  for (const event of reader.events.events) {
    const ev = events.get(event);
    if (!ev || ev.nrSamples === 0) continue;
    for (const entry of ev.entries) {
      if (warned.has(entry.sym.dso.id)) continue;
      let listing: Disassembly;
      try {
        listing = await cachedDisassembly(disassemblies, entry, options);
      } catch (e) {
        if (!(e instanceof DisassemblyError)) throw e;
        warned.add(entry.sym.dso.id);
        options.error(`Error:\nCouldn't annotate ${entry.sym.name}:\n${e.message}`);
        continue;
      }
      options.write(
        printAnnotation({
          dsoName: path.basename(entry.sym.dso.name),
          eventName: event.name,
          hist: entry.hist,
          listing: listing.lines,
          start: listing.start,
          size: Number(entry.sym.end - entry.sym.start),
          showNrSamples: options.showNrSamples ?? false,
        }),
      );
    }
  }
  return { ...result, noSamples: false };
}

/** perf runs objdump for every entry; the same symbol of another event gets the same text. */
function cachedDisassembly(
  cache: Map<string, Promise<Disassembly>>,
  entry: AnnotateEntry,
  options: AnnotateOptions,
): Promise<Disassembly> {
  const key = `${entry.sym.dso.id}\u0000${entry.sym.start}\u0000${entry.sym.end}`;
  let d = cache.get(key);
  if (!d) {
    d = disassembleSymbol(entry.sym, { symbols: options.symbols, objdump: options.objdump });
    cache.set(key, d);
  }
  return d;
}
