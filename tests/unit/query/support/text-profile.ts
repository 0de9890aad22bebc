import {
  FuncKind,
  LibKind,
  MergeStatus,
  type Profile,
  type SampleTable,
  type ThreadInfo,
} from '../../../../src/shared/model';

/**
 * A profile from folded-stack text, for query tests (a local helper until a shared one lands):
 *
 *     app;main;parse;lex 3            3 samples of thread "app": main -> parse -> lex
 *     app;main;memcpy@libc.so.6 2     a function of another library (default: "app")
 *     app;main;sys_read@k 1           a kernel function ([kernel.kallsyms])
 *     app;main;work 2 | app;main;#    merged; with merging off its stack is the second one
 *                                     (`#` is the deferred-cookie frame)
 *
 * Samples get period 10 and times 0, 1, 2, ... in line order; one thread per name.
 */
export function textProfile(text: string): Profile {
  const strings: string[] = [];
  const intern = (s: string): number => {
    const at = strings.indexOf(s);
    return at >= 0 ? at : strings.push(s) - 1;
  };
  const libs: { name: string; kind: LibKind }[] = [];
  const libOf = (name: string): number => {
    const at = libs.findIndex((l) => l.name === name);
    if (at >= 0) return at;
    const kind = name === '[kernel.kallsyms]' ? LibKind.KERNEL : LibKind.FILE;
    return libs.push({ name, kind }) - 1;
  };
  const funcs: { name: string; lib: number; kind: FuncKind }[] = [];
  const funcOf = (text: string): number => {
    let [name, lib] = text.split('@') as [string, string | undefined];
    let kind: FuncKind = FuncKind.USER;
    if (text === '#') {
      name = '[deferred user stack]';
      kind = FuncKind.DEFERRED_COOKIE;
    } else if (lib === 'k') {
      lib = '[kernel.kallsyms]';
      kind = FuncKind.KERNEL;
    }
    const l = libOf(lib ?? 'app');
    const at = funcs.findIndex((f) => f.name === name && f.lib === l);
    return at >= 0 ? at : funcs.push({ name, lib: l, kind }) - 1;
  };
  const stacks: { frame: number; prefix: number; depth: number }[] = [];
  const stackOf = (names: string[]): number => {
    let s = -1;
    for (const n of names) {
      const frame = funcOf(n); // one frame per function
      let next = stacks.findIndex((x) => x.frame === frame && x.prefix === s);
      if (next < 0)
        next = stacks.push({ frame, prefix: s, depth: s < 0 ? 0 : stacks[s]!.depth + 1 }) - 1;
      s = next;
    }
    return s;
  };
  const threads = new Map<
    string,
    { stack: number[]; raw: number[]; status: number[]; time: number[] }
  >();
  let time = 0;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const [merged, raw] = line.split(' | ');
    const m = /^(.*) (\d+)$/.exec(merged!.trim());
    if (!m) throw new Error(`bad line: ${line}`);
    const [comm, ...frames] = m[1]!.split(';');
    const rawFrames = raw?.split(';').slice(1);
    let th = threads.get(comm!);
    if (!th) threads.set(comm!, (th = { stack: [], raw: [], status: [], time: [] }));
    for (let k = 0; k < Number(m[2]); k++) {
      th.stack.push(stackOf(frames));
      th.raw.push(stackOf(rawFrames ?? frames));
      th.status.push(rawFrames ? MergeStatus.MERGED : MergeStatus.CLASSIC);
      th.time.push(time++);
    }
  }
  const threadInfos: ThreadInfo[] = [...threads].map(([name, t], i): ThreadInfo => {
    const n = t.stack.length;
    const samples: SampleTable = {
      length: n,
      time: Float64Array.from(t.time),
      stack: Int32Array.from(t.stack),
      rawStack: Int32Array.from(t.raw),
      cpu: new Int32Array(n).fill(0),
      period: new Float64Array(n).fill(10),
      event: new Uint16Array(n),
      status: Uint8Array.from(t.status),
    };
    return {
      tid: 100 + i,
      pid: 100,
      comms: [{ time: 0, name }],
      name,
      processName: name,
      samples,
      deferredRecords: {
        length: 0,
        time: new Float64Array(0),
        stack: new Int32Array(0),
        cookieLo: new Uint32Array(0),
        cookieHi: new Uint32Array(0),
        mergedInto: new Uint32Array(0),
      },
    };
  });
  const libName = libs.map((l) => intern(l.name));
  const funcName = funcs.map((f) => intern(f.name));
  return {
    meta: {
      path: 'text',
      fileSize: 0,
      pipe: false,
      startTime: '0',
      duration: time,
      samples: time,
      lostEvents: 0,
      lostSamples: 0,
      merge: {
        deferredSamples: 0,
        merged: 0,
        unmergedCookieMismatch: 0,
        unmergedEndOfSession: 0,
        deferredRecords: 0,
        recordsSharedBySeveralSamples: 0,
        recordsMatchingNothing: 0,
      },
      unresolvedLibs: [],
      warnings: [],
    },
    strings,
    libs: {
      length: libs.length,
      name: Int32Array.from(libName),
      path: Int32Array.from(libName),
      buildId: new Int32Array(libs.length).fill(-1),
      kind: Uint8Array.from(libs.map((l) => l.kind)),
      unresolved: new Uint8Array(libs.length),
    },
    funcs: {
      length: funcs.length,
      name: Int32Array.from(funcName),
      lib: Int32Array.from(funcs.map((f) => f.lib)),
      kind: Uint8Array.from(funcs.map((f) => f.kind)),
      unresolved: new Uint8Array(funcs.length),
    },
    frames: {
      length: funcs.length,
      func: Int32Array.from(funcs.map((_, i) => i)),
      address: new Float64Array(funcs.length),
      symbolOffset: new Float64Array(funcs.length),
    },
    stacks: {
      length: stacks.length,
      frame: Int32Array.from(stacks.map((s) => s.frame)),
      prefix: Int32Array.from(stacks.map((s) => s.prefix)),
      depth: Int32Array.from(stacks.map((s) => s.depth)),
    },
    threads: threadInfos,
    events: [
      {
        name: 'cpu-clock',
        type: 1,
        config: '0',
        samples: time,
        totalPeriod: time * 10,
        periodIsTime: true,
      },
    ],
  };
}
