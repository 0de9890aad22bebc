/**
 * `perf annotate --stdio` output for one symbol and event, as perf 6.1 prints it
 * (util/annotate.c symbol__annotate_printf, annotation_line__print, disasm_line__print), without
 * colours (perf colours only a terminal).
 *
 *    Percent |→Source code & Disassembly of recurse-fp for cpu-clock (352 samples, percent: local period)
 *   ----------------------------------------------------------------------------------------------------------
 *            : 5    0000000000001169 <leaf_work>:
 *       0.00 :   1169:   mov    %rdi,%rax
 *      99.72 :   1189:   add    %rcx,%rax
 */
import { cFixed } from '../report/c-format';
import type { ListingLine } from './perf-listing';
import type { SymHist } from './sym-hist';

/**
 * Everything here is a byte string (one char per byte, as objdump's output is read): names come
 * in as JavaScript strings and are turned into their UTF-8 bytes, so widths count bytes as C's
 * printf does. Write the result with the latin1 encoding.
 */
export interface PrintArgs {
  /** The DSO's file name (perf prints the basename of its long name). */
  dsoName: string;
  eventName: string;
  hist: SymHist;
  listing: readonly ListingLine[];
  /** The symbol's objdump start address and size. */
  start: bigint;
  size: number;
  /** -n: sample counts instead of percentages. */
  showNrSamples: boolean;
}

/** perf's graph_dotted_line: 3 x 69 dashes. */
const DOTTED_LINE = '-'.repeat(207);
/** The percent column's width (12 with --show-total-period, not supported). */
const WIDTH = 8;

export function printAnnotation(a: PrintArgs): string {
  const label = a.showNrSamples ? 'Samples' : 'Percent';
  const header =
    ` ${label.slice(0, WIDTH).padEnd(WIDTH)}|\tSource code & Disassembly of ${bytes(a.dsoName)} ` +
    `for ${bytes(a.eventName)} (${a.hist.nrSamples} samples, percent: local period)\n`;
  // printf("%-*.*s----\n", len, len, graph_dotted_line): at most 207 dashes, padded to len
  const out = [header, DOTTED_LINE.slice(0, header.length).padEnd(header.length) + '----\n'];
  const width = addrWidth(a.listing, a.start);
  const next = nextInstruction(a.listing);
  for (let i = 0; i < a.listing.length; i++) {
    const line = a.listing[i]!;
    if (line.offset === -1) {
      if (line.text === '') out.push(` ${' '.repeat(WIDTH)}:\n`);
      else out.push(` ${' '.repeat(WIDTH)}: ${String(line.lineNr).padEnd(width)} ${line.text}\n`);
      continue;
    }
    const end = next[i]! >= 0 ? a.listing[next[i]!]!.offset : a.size;
    const { samples, period } = a.hist.sum(line.offset, end);
    const column = a.showNrSamples
      ? String(a.hist.nrSamples ? samples : 0).padStart(7)
      : cFixed(a.hist.period ? (100 * period) / a.hist.period : 0, 2).padStart(7);
    const addr = (a.start + BigInt(line.offset)).toString(16).padStart(width);
    out.push(` ${column} :   ${addr}:${line.text}\n`);
  }
  return out.join('');
}

/** A string's UTF-8 bytes as a byte string. */
function bytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** annotated_source__addr_fmt_width: the hex width of the last instruction's address. */
function addrWidth(listing: readonly ListingLine[], start: bigint): number {
  for (let i = listing.length - 1; i >= 0; i--) {
    const off = listing[i]!.offset;
    if (off !== -1) return (start + BigInt(off)).toString(16).length;
  }
  return 0;
}

/** For each line, the index of the next instruction line (annotation_line__next), or -1. */
function nextInstruction(listing: readonly ListingLine[]): number[] {
  const next = new Array<number>(listing.length).fill(-1);
  let after = -1;
  for (let i = listing.length - 1; i >= 0; i--) {
    next[i] = after;
    if (listing[i]!.offset !== -1) after = i;
  }
  return next;
}
