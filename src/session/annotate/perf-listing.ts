/**
 * objdump's output read the way perf 6.1 reads it (util/annotate.c symbol__disassemble and
 * symbol__parse_objdump_line). Lines look like this (`objdump -l -d -S`, tabs shown as →):
 *
 *   ../symfs/tmp/perfreal/bin/recurse-fp:     file format elf64-x86-64    skipped: names the file
 *   Disassembly of section .text:                                          a line without offset
 *   0000000000001169 <leaf_work>:                                          (offset -1)
 *   leaf_work():
 *   /tmp/perfreal/src/recurse.c:16                                        sets the line number, hidden
 *       1169:→mov    %rdi,%rax                                            an instruction
 *
 * Every line is trimmed and its tabs expanded to 8 columns (counted from the trimmed start). A
 * line `/path:N...` only sets the line number; every other line gets the current number and then
 * increments it, so without source files the number perf prints is a running line count.
 */

/** One line of perf's listing. */
export interface ListingLine {
  /** Offset of the instruction in the symbol; -1 for any other line. */
  offset: number;
  /** The text perf prints: an instruction's text after `ADDR:`, else the whole trimmed line. */
  text: string;
  /** perf's line_nr for the line. */
  lineNr: number;
}

/** perf's file_lineno: `^/[^:]+:([0-9]+)` (POSIX extended, not anchored at the end). */
const FILE_LINENO = /^\/[^:]+:([0-9]+)/;

/** C isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** The kernel's strim(): leading and trailing white space removed. */
export function strim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** perf's expand_tabs(): each tab becomes spaces up to the next multiple of 8. */
export function expandTabs(s: string): string {
  if (!s.includes('\t')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\t') {
      out += c;
      continue;
    }
    out += ' ';
    while (out.length % 8 !== 0) out += ' ';
  }
  return out;
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * C's strtoull(s, &end, 16): leading white space, an optional sign, an optional 0x, hex digits;
 * a value past 2^64-1 gives ULLONG_MAX. `end` is where the number stops (0 when there is none).
 */
export function strtoull16(s: string): { value: bigint; end: number } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const isHex = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHex(s[i + 2])) i += 2;
  const digitsAt = i;
  let value = 0n;
  let overflow = false;
  while (isHex(s[i])) {
    value = value * 16n + BigInt(parseInt(s[i]!, 16));
    if (value > U64_MAX) overflow = true;
    i++;
  }
  if (i === digitsAt) return { value: 0n, end: 0 };
  if (overflow) return { value: U64_MAX, end: i };
  return { value: negative ? -value & U64_MAX : value, end: i };
}

/**
 * perf's listing of objdump's output for a symbol whose instructions lie in [start, end)
 * (objdump addresses). `file` is the path objdump was given: lines naming it (`FILE:  file
 * format ...`) are dropped, as perf drops them.
 */
export function perfListing(
  output: string,
  file: string,
  start: bigint,
  end: bigint,
): ListingLine[] {
  const lines: ListingLine[] = [];
  let lineNr = 0;
  const raw = output.split('\n');
  // getline() returns a last line without newline; nothing after a final newline.
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  for (const rawLine of raw) {
    const at = rawLine.indexOf(file);
    if (at >= 0 && rawLine[at + file.length] === ':') continue;
    const line = expandTabs(strim(rawLine));
    const m = FILE_LINENO.exec(line);
    if (m) {
      lineNr = atoi(m[1]!);
      continue;
    }
    let offset = -1;
    let text = line;
    const { value: ip, end: stop } = strtoull16(line);
    if (stop > 0 && line[stop] === ':' && stop + 1 < line.length) {
      if (ip >= start && ip < end) {
        offset = Number(ip - start);
        text = line.slice(stop + 1);
      }
    }
    lines.push({ offset, text, lineNr });
    lineNr = (lineNr + 1) | 0;
  }
  return lines;
}

const LONG_MAX = (1n << 63n) - 1n;

/** glibc's atoi on a run of digits: strtol (saturating at LONG_MAX) cast to int. */
function atoi(digits: string): number {
  const v = BigInt(digits);
  return Number(BigInt.asIntN(32, v > LONG_MAX ? LONG_MAX : v));
}
