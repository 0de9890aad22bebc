/**
 * The user-space part of `perf script -F ...,ip,sym,symoff,dso` callchains: per sample, the frame
 * lines after the kernel frames (kernel addresses start with ffffffff), as "addr" for a normal
 * frame and "addr name (inlined)" for an inline frame.
 */
export function oracleUserFrames(text: string): string[][] {
  const samples: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) {
      const m = /^\t\s*([0-9a-f]+) (.*)$/.exec(line);
      if (!m || !current) continue;
      const addr = m[1]!;
      if (addr.length === 16 && addr.startsWith('ffffffff')) continue;
      const rest = m[2]!;
      const inl = /^(.*)\+0x[0-9a-f]+ \(inlined\)$/.exec(rest);
      current.push(inl ? `${addr} ${inl[1]} (inlined)` : addr);
    } else if (line.trim() !== '') {
      current = [];
      samples.push(current);
    }
  }
  return samples;
}
