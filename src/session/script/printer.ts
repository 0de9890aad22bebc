import type { ChainFrame } from '../machine/callchain';
import type { Location } from '../machine/machine';
import type { SymbolHit, Symbolizer } from '../machine/symbolize';
import {
  hexFromSigned,
  isExactSigned,
  signedFromHalves,
  wordHex,
  type U64Words,
} from '../perf-data/u64';
import { Field } from './fields';
import { formatTimeUsec } from '../perf-data/time-format';

export { formatTimeUsec };

export type { SymbolHit, Symbolizer };

export interface PrintIpOpts {
  ip: boolean;
  sym: boolean;
  dso: boolean;
  symoff: boolean;
}

export function printIpOpts(fields: number): PrintIpOpts {
  return {
    ip: (fields & Field.IP) !== 0,
    sym: (fields & Field.SYM) !== 0,
    dso: (fields & Field.DSO) !== 0,
    symoff: (fields & Field.SYMOFFSET) !== 0,
  };
}

/** `%Ns` of C: right-aligned in `width`, never truncated. */
export function padStart(s: string, width: number): string {
  return s.length >= width ? s : spaces(width - s.length) + s;
}

const SPACES = Array.from({ length: 65 }, (_, n) => ' '.repeat(n));

/** `n` spaces; the common widths from a table (repeat() allocates on every call). */
function spaces(n: number): string {
  return SPACES[n] ?? ' '.repeat(n);
}

/** `%-Ns` of C. */
export function padEnd(s: string, width: number): string {
  return s.length >= width ? s : s + spaces(width - s.length);
}

export interface StartFields {
  fields: number;
  /** The event has callchains and IP is printed: perf prints the comm unpadded. */
  unpaddedComm: boolean;
  comm: string;
  pid: number;
  tid: number;
  cpu: number;
  misc: number;
  /** Absolute time in ns. */
  time: bigint | number;
}

/** perf_sample__fprintf_start (perf 6.1 widths). */
export function formatStart(f: StartFields): string {
  let s = '';
  const fields = f.fields;
  if (fields & Field.COMM) s += f.unpaddedComm ? `${f.comm} ` : `${padStart(f.comm, 16)} `;
  if (fields & Field.PID && fields & Field.TID)
    s += `${padStart(String(f.pid), 5)}/${padEnd(String(f.tid), 5)} `;
  else if (fields & Field.PID) s += `${padStart(String(f.pid), 5)} `;
  else if (fields & Field.TID) s += `${padStart(String(f.tid), 5)} `;
  if (fields & Field.CPU) s += `[${zeroPad3(f.cpu)}] `;
  if (fields & Field.MISC) s += formatMisc(f.misc);
  if (fields & Field.TIME) s += `${padStart(formatTimeUsec(f.time), 12)}: `;
  return s;
}

/** PERF_RECORD_MISC_{KERNEL, USER, HYPERVISOR, GUEST_KERNEL, GUEST_USER} and their letters. */
const MISC_LETTERS: [number, string][] = [
  [1, 'K'],
  [2, 'U'],
  [3, 'H'],
  [4, 'G'],
  [5, 'g'],
];

/** C's `%03d`: the sign counts in the width (a record without a cpu, -1, prints `-01`). */
function zeroPad3(n: number): string {
  return n < 0 ? `-${String(-n).padStart(2, '0')}` : String(n).padStart(3, '0');
}

/**
 * perf's `misc` column for a sample: a letter for each cpumode value `m` with
 * `(misc & m) == m` (its has() macro), so a hypervisor sample (3) prints "KUH" and a guest user
 * one (5) "KGg" (a perf quirk we match), padded to 6 columns.
 */
function formatMisc(misc: number): string {
  let letters = '';
  for (const [m, letter] of MISC_LETTERS) if ((misc & m) === m) letters += letter;
  return padEnd(letters, 5) + ' ';
}

/** Name of the DSO of a map as perf prints it (map__fprintf_dsoname). */
export function dsoName(loc: Location | undefined): string {
  return loc ? loc.map.dso.name : '[unknown]';
}

function symbolText(hit: SymbolHit | undefined, opts: PrintIpOpts): string {
  if (!hit) return '[unknown]';
  return opts.symoff ? `${hit.name}+0x${hit.offset.toString(16)}` : hit.name;
}

/** A deferred sample's cookie, as the two halves of the u64. */
export interface Cookie {
  lo: number;
  hi: number;
}

/**
 * perf 6.19 prints `(cookie)` instead of a symbol for every entry whose address equals the
 * sample's deferred cookie, wherever it stands (sample__fprintf_callchain compares node->ip with
 * sample->deferred_cookie): also a merged user address or a kernel address that happens to equal
 * it.
 */
function isCookie(fr: ChainFrame, words: U64Words, cookie: Cookie | undefined): boolean {
  if (!cookie) return false;
  if (fr.index < 0)
    return isExactSigned(cookie.lo, cookie.hi) && fr.ip === signedFromHalves(cookie.lo, cookie.hi);
  return words[2 * fr.index] === cookie.lo && words[2 * fr.index + 1] === cookie.hi;
}

/**
 * sample__fprintf_callchain (perf 6.1): one line per frame, `\t%16x` address then symbol and
 * DSO. perf 6.1 prints user-space addresses relative to their map ("binary offset") and kernel or
 * unmapped ones as they are. `cookie`: the sample's deferred cookie while perf 6.19 still counts
 * the sample as deferred (merged, flushed at the end, or merging off), else undefined.
 */
export function formatCallchain(
  frames: ChainFrame[],
  words: U64Words,
  opts: PrintIpOpts,
  symbols: Symbolizer | undefined,
  cookie: Cookie | undefined,
): string {
  let s = '';
  for (const fr of frames) {
    s += '\t';
    if (opts.ip) {
      const addr =
        fr.loc && !fr.loc.map.dso.isKernel
          ? hexFromSigned(fr.loc.addr)
          : fr.index >= 0
            ? wordHex(words, fr.index)
            : hexFromSigned(fr.ip);
      s += padStart(addr, 16);
    }
    if (opts.sym) {
      s += ' ';
      if (isCookie(fr, words, cookie)) s += '(cookie)';
      else {
        const hit = fr.loc && symbols ? symbols.lookup(fr.loc) : undefined;
        // An inlined function takes the offset of the function it is inlined into.
        s += symbolText(
          fr.inlineName && hit ? { name: fr.inlineName, offset: hit.offset } : hit,
          opts,
        );
      }
    }
    if (opts.dso && !fr.inlineName) s += ` (${dsoName(fr.loc)})`;
    if (fr.inlineName) s += ' (inlined)';
    s += '\n';
  }
  return s;
}

/** sample__fprintf_sym without a callchain: the sample ip on the header line. */
export function formatSampleIp(
  ip: number,
  loc: Location | undefined,
  opts: PrintIpOpts,
  symbols: Symbolizer | undefined,
): string {
  let s = '';
  if (opts.ip) s += padStart(hexFromSigned(ip), 16);
  if (opts.sym) s += ` ${symbolText(loc && symbols ? symbols.lookup(loc) : undefined, opts)}`;
  if (opts.dso) s += ` (${dsoName(loc)})`;
  return s;
}
