/**
 * JIT symbol maps, /tmp/perf-PID.map: one "START SIZE name" line per symbol,
 * START and SIZE in hex (optional 0x). Loaded as perf 6.1's
 * dso__load_perf_map() does: names are kept as written (no demangling), no
 * end or duplicate fix-ups, so an entry of size 0 only matches its start.
 * Addresses are absolute: perf maps anonymous memory 1:1 (identity map_ip).
 */
import { STB_GLOBAL, SymbolTree } from './table/symbol-tree.js';

const STT_FUNC = 2;

/** strtoull(s, &end, 16): optional blanks and sign, optional 0x; returns value and characters read. */
function parseHex(line: string, from: number): { value: bigint; length: number } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]*)/.exec(line.slice(from));
  if (!m || m[3] === '') return { value: 0n, length: 0 };
  const U64 = (1n << 64n) - 1n;
  let v = BigInt(`0x${m[3]!}`);
  if (v > U64) v = U64; // strtoull saturates
  if (m[1] === '-') v = -v & U64;
  return { value: v, length: m[0].length };
}

/** @param text the file decoded as latin1, so that lengths count bytes as perf does. */
export function loadPerfMap(text: string): SymbolTree {
  const tree = new SymbolTree();
  // getline() keeps the '\n'; perf then drops the line's last character unconditionally.
  const lines = text.split(/(?<=\n)/);
  for (const raw of lines) {
    if (raw.length === 0) continue;
    const line = raw.slice(0, -1);
    const lineLen = line.length;
    const start = parseHex(line, 0);
    let len = start.length + 1;
    if (len + 2 >= lineLen) continue;
    const size = parseHex(line, len);
    len += size.length + 1;
    if (len + 2 >= lineLen) continue;
    tree.insert({
      start: start.value,
      size: size.value,
      binding: STB_GLOBAL,
      type: STT_FUNC,
      name: Buffer.from(line.slice(len), 'latin1').toString('utf8'),
    });
  }
  return tree;
}
