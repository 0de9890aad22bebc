import type { Profile } from './profile';

/**
 * Checks the invariants the queries rely on; used by tests. Returns the problems found (empty
 * when the profile is sound).
 */
export function checkProfile(p: Profile): string[] {
  const problems: string[] = [];
  const bad = (what: string): void => {
    if (problems.length < 50) problems.push(what);
  };
  const inRange = (v: number, n: number, allowNone: boolean): boolean =>
    Number.isInteger(v) && (v < n || false) && (v >= 0 || (allowNone && v === -1));
  const { libs, funcs, frames, stacks, strings } = p;
  for (let i = 0; i < libs.length; i++) {
    if (!inRange(libs.name[i]!, strings.length, false)) bad(`lib ${i}: name out of range`);
    if (!inRange(libs.buildId[i]!, strings.length, true)) bad(`lib ${i}: buildId out of range`);
  }
  for (let i = 0; i < funcs.length; i++) {
    if (!inRange(funcs.name[i]!, strings.length, false)) bad(`func ${i}: name out of range`);
    if (!inRange(funcs.lib[i]!, libs.length, true)) bad(`func ${i}: lib out of range`);
  }
  for (let i = 0; i < frames.length; i++) {
    if (!inRange(frames.func[i]!, funcs.length, false)) bad(`frame ${i}: func out of range`);
  }
  for (let i = 0; i < stacks.length; i++) {
    const prefix = stacks.prefix[i]!;
    if (!inRange(stacks.frame[i]!, frames.length, false)) bad(`stack ${i}: frame out of range`);
    if (prefix >= i || prefix < -1) bad(`stack ${i}: prefix ${prefix} is not an earlier stack`);
    const depth = prefix === -1 ? 0 : stacks.depth[prefix]! + 1;
    if (stacks.depth[i] !== depth) bad(`stack ${i}: depth ${stacks.depth[i]} should be ${depth}`);
  }
  let samples = 0;
  for (const [t, th] of p.threads.entries()) {
    const s = th.samples;
    samples += s.length;
    for (const col of ['time', 'stack', 'rawStack', 'cpu', 'period', 'event', 'status'] as const) {
      if (s[col].length !== s.length)
        bad(`thread ${t}: column ${col} has ${s[col].length} rows, not ${s.length}`);
    }
    for (let i = 0; i < s.length; i++) {
      if (i > 0 && s.time[i]! < s.time[i - 1]!)
        bad(`thread ${t}: sample ${i} is older than the one before`);
      if (!inRange(s.stack[i]!, stacks.length, true))
        bad(`thread ${t}: sample ${i} stack out of range`);
      if (!inRange(s.rawStack[i]!, stacks.length, true))
        bad(`thread ${t}: sample ${i} raw stack out of range`);
      if (!inRange(s.event[i]!, p.events.length, false))
        bad(`thread ${t}: sample ${i} event out of range`);
    }
    const d = th.deferredRecords;
    for (const col of ['time', 'stack', 'cookieLo', 'cookieHi', 'mergedInto'] as const) {
      if (d[col].length !== d.length)
        bad(`thread ${t}: deferred column ${col} has ${d[col].length} rows, not ${d.length}`);
    }
    for (let i = 0; i < d.length; i++) {
      if (!inRange(d.stack[i]!, stacks.length, true))
        bad(`thread ${t}: deferred record ${i} stack out of range`);
    }
  }
  for (const [t, th] of p.threads.entries()) {
    const sw = th.switches;
    for (let i = 0; sw && i < sw.length; i++) {
      if (i > 0 && sw.time[i]! < sw.time[i - 1]!) bad(`thread ${t}: switch ${i} is out of order`);
      if (
        !inRange(sw.stack[i]!, stacks.length, true) ||
        !inRange(sw.rawStack[i]!, stacks.length, true)
      )
        bad(`thread ${t}: switch ${i} stack out of range`);
    }
    const o = th.offCpu;
    for (let i = 0; o && i < o.length; i++) {
      if (!(o.end[i]! >= o.start[i]!))
        bad(`thread ${t}: off-CPU interval ${i} ends before it starts`);
      if (i > 0 && o.start[i]! < o.end[i - 1]!)
        bad(`thread ${t}: off-CPU interval ${i} overlaps the one before`);
      if (
        !inRange(o.stack[i]!, stacks.length, true) ||
        !inRange(o.rawStack[i]!, stacks.length, true)
      )
        bad(`thread ${t}: off-CPU interval ${i} stack out of range`);
    }
  }
  const m = p.markers;
  for (let i = 0; m && i < m.length; i++) {
    if (i > 0 && m.time[i]! < m.time[i - 1]!) bad(`marker ${i} is out of order`);
    if (!inRange(m.thread[i]!, p.threads.length, true)) bad(`marker ${i}: thread out of range`);
    if (!inRange(m.text[i]!, strings.length, true)) bad(`marker ${i}: text out of range`);
    if (!inRange(m.event[i]!, p.events.length, true)) bad(`marker ${i}: event out of range`);
  }
  if (samples !== p.meta.samples)
    bad(`meta.samples is ${p.meta.samples}, the threads hold ${samples}`);
  return problems;
}
