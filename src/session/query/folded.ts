import type { FoldedExportOptions } from '../../shared/contract';
import { FuncKind, type Profile, type ThreadInfo } from '../../shared/model';
import { AttrType } from '../perf-data/constants';
import { hexFromSigned } from '../perf-data/u64';
import { resolveFilters, sampleRange } from './filters';

/**
 * Brendan Gregg's stackcollapse-perf.pl tidying of a function name (FlameGraph 41fee1f, the
 * version the oracles were made with): `;` would split the line, so it becomes `:`; everything
 * from the first `(` is argument noise unless it opens "(anonymous namespace)" or the name looks
 * like a Go method (`pkg.(*T).M`); quotes go. In a process whose name starts with "java" (its
 * $tidy_java, on by default) a name with a `/` also loses a leading `L` (`Lorg/x/Y;.m` becomes
 * `org/x/Y:.m`).
 */
export function tidyName(name: string, comm = ''): string {
  let f = name.replace(/;/g, ':');
  if (!/\.\(.*\)\./.test(f)) f = f.replace(/\((?!anonymous namespace\)).*/, '');
  f = f.replace(/["']/g, '');
  if (comm.startsWith('java') && f.includes('/')) f = f.replace(/^L/, '');
  return f;
}

/** The comm of a thread at a time (comms are oldest first). */
function commAt(th: ThreadInfo, time: number): string {
  let name = th.comms[0]?.name ?? th.name;
  for (const c of th.comms) {
    if (c.time <= time) name = c.name;
    else break;
  }
  return name;
}

/**
 * Folded stacks (`comm;outer;...;inner weight`, root first), the format flamegraph.pl, inferno
 * and speedscope read, as stackcollapse-perf.pl makes it from `perf script`: unresolved frames
 * become `[library]`, names are tidied the same way, weights are summed periods. Aggregates per
 * distinct line, then yields the lines sorted, in chunks, so a huge export never becomes one
 * string.
 */
export function* foldedLines(
  profile: Profile,
  o: FoldedExportOptions,
  chunkLines = 4096,
): Generator<string[]> {
  const f = resolveFilters(profile, o.filters);
  const weight = o.weight ?? 'period';
  const allEvents = o.allEvents ?? profile.events.every((e) => e.type === AttrType.TRACEPOINT);
  const { stacks, frames, funcs, libs, strings } = profile;
  // Each stack's folded text (without the comm), memoised: stacks share prefixes. Java
  // processes tidy names differently (tidyName), so they have their own memo.
  const memos = [new Map<number, string>(), new Map<number, string>()];
  let memo = memos[0]!;
  let tidyComm = '';
  const frameText = (frame: number): string | undefined => {
    const func = frames.func[frame]!;
    const kind = funcs.kind[func]!;
    if (f.frames === 'user' && kind === FuncKind.KERNEL) return undefined;
    if (f.frames === 'kernel' && kind !== FuncKind.KERNEL) return undefined;
    const lib = funcs.lib[func]!;
    const libPath = lib >= 0 ? strings[libs.path[lib]!]! : '[unknown]';
    let text: string;
    if (funcs.unresolved[func]) {
      // `[unknown] (/usr/lib/libc.so.6)` becomes `[libc.so.6]` (and `[vdso]` becomes `[[vdso]]`).
      const base = lib >= 0 ? libPath.slice(libPath.lastIndexOf('/') + 1) : 'unknown';
      text = o.addresses ? `[${base} <${hexFromSigned(frames.address[frame]!)}>]` : `[${base}]`;
    } else {
      const name = strings[funcs.name[func]!]!;
      // stackcollapse skips names starting with "(" (meant for process names), which drops
      // "(anonymous namespace)::f" frames too; we match it.
      if (name.startsWith('(')) return undefined;
      text = tidyName(name, tidyComm);
    }
    if (o.kernelAnnotate && libPath.startsWith('[') && !libPath.includes('unknown')) text += '_[k]';
    return text;
  };
  const stackText = (s: number): string => {
    if (s < 0) return '';
    const known = memo.get(s);
    if (known !== undefined) return known;
    const parent = stackText(stacks.prefix[s]!);
    const own = frameText(stacks.frame[s]!);
    const text = own === undefined ? parent : parent ? `${parent};${own}` : own;
    memo.set(s, text);
    return text;
  };

  const totals = new Map<string, number>();
  for (const t of f.threads) {
    const th = profile.threads[t]!;
    const s = th.samples;
    const [first, last] = sampleRange(s.time, f.start, f.end);
    const stackCol = f.merge ? s.stack : s.rawStack;
    let lastComm = '';
    let prefix = '';
    for (let i = first; i < last; i++) {
      if (!allEvents && s.event[i] !== f.event) continue;
      const comm = commAt(th, s.time[i]!);
      if (comm !== lastComm || prefix === '') {
        lastComm = comm;
        const java = comm.startsWith('java');
        memo = memos[java ? 1 : 0]!;
        tidyComm = java ? 'java' : '';
        const named = o.tid ? `${comm}-${th.pid}/${th.tid}` : o.pid ? `${comm}-${th.pid}` : comm;
        prefix = named.replace(/ /g, '_');
      }
      const body = stackText(stackCol[i]!);
      const line = body ? `${prefix};${body}` : prefix;
      totals.set(line, (totals.get(line) ?? 0) + (weight === 'samples' ? 1 : s.period[i]!));
    }
  }
  const keys = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < keys.length; i += chunkLines) {
    yield keys.slice(i, i + chunkLines).map((k) => `${k} ${totals.get(k)}`);
  }
}
