/**
 * Test helper: the resolved frames printed in perf script oracles.
 *   "\t            1189 leaf_work+0x20 (/tmp/perfreal/bin/recurse-fp)"   callchain line, map_ip
 *   "gzip 28586 ... cpu-clock:  7fcb7687a3e0 [unknown] (/usr/bin/gzip)"   sample without callchain, absolute ip
 */
export interface OracleFrame {
  file: string;
  line: number;
  /** True for callchain lines (address already in map_ip space). */
  callchain: boolean;
  addr: bigint;
  /** undefined for "[unknown]". */
  symbol: { name: string; offset: bigint } | undefined;
  dso: string;
}

const CALLCHAIN = /^\t\s*([0-9a-f]+) (.*) \(([^()]*)\)$/;
const SAMPLE = /^.*: +([0-9a-f]+) (.*) \(([^()]*)\)$/;

export function parseOracleFrames(file: string, text: string): OracleFrame[] {
  const out: OracleFrame[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const callchain = l.startsWith('\t');
    const m = callchain ? CALLCHAIN.exec(l) : SAMPLE.exec(l);
    if (!m) continue;
    const sym = m[2]!;
    let symbol: OracleFrame['symbol'];
    if (sym !== '[unknown]') {
      const s = /^(.*)\+0x([0-9a-f]+)$/s.exec(sym);
      if (!s) throw new Error(`${file}:${i + 1}: cannot parse symbol "${sym}"`);
      symbol = { name: s[1]!, offset: BigInt(`0x${s[2]!}`) };
    }
    out.push({ file, line: i + 1, callchain, addr: BigInt(`0x${m[1]!}`), symbol, dso: m[3]! });
  }
  return out;
}
