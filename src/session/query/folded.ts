import type { FoldedExportOptions } from '../../shared/contract';
import { FuncKind, type Profile, type ThreadInfo } from '../../shared/model';
import { AttrType } from '../perf-data/constants';
import { hexFromSigned } from '../perf-data/u64';
import { SessionError } from '../../shared/contract/errors';
import { resolveFilters, sampleRange, stacksOf } from './filters';
import { funcKindCode, funcLibIndex, funcName } from './func-info';
import { DROPPED } from './func-stacks';
import { forEachOffCpu } from './off-cpu';
import { commRuns } from './stack-groups';

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

/**
 * The name a thread had at `time` (the latest comm at or before it).
 */
function commAt(th: ThreadInfo, time: number): string {
  let name = th.comms[0]?.name ?? th.name;
  for (const c of th.comms) if (c.time <= time) name = c.name;
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
  const transformed = f.transforms.length > 0 ? stacksOf(profile, f) : undefined;
  if (transformed && o.addresses) {
    throw new SessionError(
      'bad-request',
      'addresses cannot be shown with transforms: transforms work on functions, not addresses',
    );
  }
  let tidyComm = '';
  /** A function's folded text, undefined for frames stackcollapse leaves out. */
  const funcText = (func: number, frame: number): string | undefined => {
    const kind = funcKindCode(profile, func);
    if (f.frames === 'user' && kind === FuncKind.KERNEL) return undefined;
    if (f.frames === 'kernel' && kind !== FuncKind.KERNEL) return undefined;
    const lib = funcLibIndex(profile, func);
    const libPath = lib >= 0 ? strings[libs.path[lib]!]! : '[unknown]';
    let text: string;
    if (func < funcs.length && funcs.unresolved[func]) {
      // `[unknown] (/usr/lib/libc.so.6)` becomes `[libc.so.6]` (and `[vdso]` becomes `[[vdso]]`).
      const base = lib >= 0 ? libPath.slice(libPath.lastIndexOf('/') + 1) : 'unknown';
      text = o.addresses ? `[${base} <${hexFromSigned(frames.address[frame]!)}>]` : `[${base}]`;
    } else {
      const name = funcName(profile, func);
      // stackcollapse skips names starting with "(" (meant for process names), which drops
      // "(anonymous namespace)::f" frames too; we match it.
      if (name.startsWith('(')) return undefined;
      text = tidyName(name, tidyComm);
    }
    if (o.kernelAnnotate && libPath.startsWith('[') && !libPath.includes('unknown')) text += '_[k]';
    return text;
  };
  // Each stack's folded text (without the comm), memoised: stacks share prefixes. Without
  // transforms the profile's stacks (frames, for --addrs); with them the transformed nodes.
  // Java processes tidy names differently (tidyName), so they have their own memo.
  const memos = [new Map<number, string>(), new Map<number, string>()];
  let memo = memos[0]!;
  const textOf = (
    node: number,
    prefixOf: (n: number) => number,
    ownText: (n: number) => string | undefined,
  ): string => {
    if (node < 0) return '';
    const known = memo.get(node);
    if (known !== undefined) return known;
    const parent = textOf(prefixOf(node), prefixOf, ownText);
    const own = ownText(node);
    const text = own === undefined ? parent : parent ? `${parent};${own}` : own;
    memo.set(node, text);
    return text;
  };
  const profilePrefix = (s: number): number => stacks.prefix[s]!;
  const profileText = (s: number): string | undefined => {
    const frame = stacks.frame[s]!;
    return funcText(frames.func[frame]!, frame);
  };
  /** The folded body of a sample's stack, undefined when a transform drops the sample. */
  const stackText = (s: number): string | undefined => {
    if (!transformed) return textOf(s, profilePrefix, profileText);
    const node = s < 0 ? transformed.ofEmpty : transformed.ofStack[s]!;
    if (node === DROPPED) return undefined;
    return textOf(
      node,
      (n) => transformed.prefix[n]!,
      (n) => funcText(transformed.func[n]!, -1),
    );
  };

  // Aggregate before formatting: weights per stack id for each (thread, comm) run of samples,
  // then one line per distinct stack of the run (formatting a string per sample cost more than
  // the whole load on big recordings).
  const totals = new Map<string, number>();
  const perStack = new Float64Array(stacks.length + 1); // index stack + 1 (0: no stack)
  const seen = new Uint8Array(stacks.length + 1); // a stack can weigh 0 (period 0) and count
  const touched = new Int32Array(stacks.length + 1);
  let nTouched = 0;
  const add = (stack: number, w: number): void => {
    const k = stack + 1;
    if (seen[k] === 0) {
      seen[k] = 1;
      touched[nTouched++] = k;
    }
    perStack[k] = perStack[k]! + w;
  };
  /** One line per stack added since the last flush, under the thread's name `comm`. */
  const flush = (th: ThreadInfo, comm: string): void => {
    const named = o.tid ? `${comm}-${th.pid}/${th.tid}` : o.pid ? `${comm}-${th.pid}` : comm;
    const prefix = named.replace(/ /g, '_');
    for (let j = 0; j < nTouched; j++) {
      const k = touched[j]!;
      const body = stackText(k - 1);
      const w = perStack[k]!;
      perStack[k] = 0;
      seen[k] = 0;
      if (body === undefined) continue; // a transform dropped these samples
      const line = body ? `${prefix};${body}` : prefix;
      totals.set(line, (totals.get(line) ?? 0) + w);
    }
    nTouched = 0;
  };
  const useComm = (comm: string): void => {
    const java = comm.startsWith('java');
    memo = memos[java ? 1 : 0]!;
    tidyComm = java ? 'java' : '';
  };
  for (const t of f.threads) {
    const th = profile.threads[t]!;
    // stackcollapse-perf.pl cannot read a sample line whose tid perf prints as -1 (an exiting
    // task's sched_switch): its pattern wants digits, so it drops those samples. So do we.
    if (th.tid < 0) continue;
    if (weight === 'off-cpu') {
      // off-CPU nanoseconds, each interval under the name the thread had when it left
      const off = th.offCpu;
      if (!off) continue;
      const stackCol = f.merge ? off.stack : off.rawStack;
      let comm: string | undefined;
      forEachOffCpu(off, f.start, f.end, f.cpus, (i, ns) => {
        const now = commAt(th, off.start[i]!);
        if (now !== comm) {
          if (comm !== undefined) flush(th, comm);
          useComm((comm = now));
        }
        add(stackCol[i]!, ns);
      });
      if (comm !== undefined) flush(th, comm);
      continue;
    }
    const s = th.samples;
    const [first, last] = sampleRange(s.time, f.start, f.end);
    const stackCol = f.merge ? s.stack : s.rawStack;
    const cpus = f.cpus;
    for (const run of commRuns(th, s.time, first, last)) {
      useComm(run.comm);
      for (let i = run.first; i < run.end; i++) {
        if (!allEvents && s.event[i] !== f.event) continue;
        if (cpus && !cpus.has(s.cpu[i]!)) continue;
        add(stackCol[i]!, weight === 'samples' ? 1 : s.period[i]!);
      }
      flush(th, run.comm);
    }
  }
  const keys = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < keys.length; i += chunkLines) {
    yield keys.slice(i, i + chunkLines).map((k) => `${k} ${totals.get(k)}`);
  }
}
