/**
 * A real profile from samples described in text, in the spirit of the Firefox Profiler's
 * `getProfileFromTextSamples`: the text becomes a perf.data file (tests/support/perf-data-writer),
 * an ELF program holding the user functions (/usr/bin/prog, library `prog`, under a symfs) and a
 * kallsyms file for the kernel ones, and the file is loaded as the app loads it (reader, ordered
 * queue, deferred merge, machine, model builder), so the queries under test see exactly what they
 * see in the app.
 *
 * One line per run of samples, root first, like folded stacks:
 *
 *   app;main;work;hash 3                    three samples of main -> work -> hash, thread 100/100
 *   app;main;read;sys_read_[k];copy_[k] 1   kernel frames end in _[k] (the leaf side, innermost)
 *   app;main;qsort@libc.so.6;cmp 2          a function of another library (/usr/lib/libc.so.6)
 *   app 2                                   samples with an empty callchain
 *   worker;main;spin 2 t=500 thread=100/101 event=task-clock period=250 cpu=1 merge=end
 *
 * Keys (all optional):
 *   t=NS          the first sample's time (default: the previous line's last sample + step);
 *                 the first sample of the profile is its time 0, so start the text at t=0
 *   step=NS       time between the line's samples (default 10)
 *   thread=P/T    pid/tid (or one number: pid = tid; default 100); the comm is the line's first
 *                 element (a new comm for a known thread is a COMM record at that time)
 *   event=NAME    cpu-clock (the default), task-clock, or any other name (a hardware event)
 *   period=N      default 1
 *   cpu=N         default 0
 *   merge=STATUS  how the user stack is recorded: `classic` (default: in the sample), `merged`
 *                 (deferred, then a CALLCHAIN_DEFERRED record with the user frames and the same
 *                 cookie), `mismatch` (deferred, then a record with another cookie) or `end`
 *                 (deferred, and no record before the recording ends)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StringTableBuilder, type Profile } from '../../src/shared/model';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { ElfFile } from '../../src/session/symbols/elf/elf-file';
import { buildElf, type BuildElf } from '../unit/symbols/support/elf-builder';
import { writePerfData } from './perf-data-writer';

export interface TextProfile {
  profile: Profile;
  /** The perf.data written for it (to open it in a session, run perfws on it…). */
  path: string;
  /** The symbol settings that resolve its functions. */
  symbols: { symfs: string; kallsyms: string };
  /** The writer's description of the recording (for a failing test's message). */
  description: string;
}

const KERNEL_MARK = '_[k]';
/** Where the program is mapped (file offset 0); each other library one MAP_SPAN above the last. */
const USER_BASE = 0x40_0000;
const MAP_SPAN = 0x10_0000;
const PROGRAM = '/usr/bin/prog';
/** A user frame `name@lib` is a function of /usr/lib/lib; a bare name one of the program. */
const LIB_MARK = '@';
const KERNEL_BASE = 0xffff_ffff_8100_0000n;
/** Each function's address range: its frames are at its start + 0x10. */
const FUNC_SIZE = 0x100;
const EVENT_CONFIG: Record<string, { type: number; config: number }> = {
  'cpu-clock': { type: 1, config: 0 },
  'task-clock': { type: 1, config: 1 },
};
const STATUSES = ['classic', 'merged', 'mismatch', 'end'] as const;
type Status = (typeof STATUSES)[number];

interface Line {
  comm: string;
  user: string[];
  kernel: string[];
  count: number;
  time: number;
  step: number;
  pid: number;
  tid: number;
  event: string;
  period: number;
  cpu: number;
  merge: Status;
}

function parseLine(text: string, lineNo: number, nextTime: number): Line {
  const fail = (why: string): never => {
    throw new Error(`text profile, line ${lineNo} "${text}": ${why}`);
  };
  const [stack, count, ...keys] = text.split(/\s+/);
  const frames = stack!.split(';');
  const comm = frames.shift()!;
  const kernelFrom = frames.findIndex((f) => f.endsWith(KERNEL_MARK));
  const user = kernelFrom < 0 ? frames : frames.slice(0, kernelFrom);
  const kernel = kernelFrom < 0 ? [] : frames.slice(kernelFrom);
  if (kernel.some((f) => !f.endsWith(KERNEL_MARK)))
    fail('kernel frames (_[k]) must be the innermost ones, after every user frame');
  if (!/^\d+$/.test(count ?? '')) fail('expected "STACK COUNT [key=value...]"');
  const kv = new Map(
    keys.map((k) => {
      const eq = k.indexOf('=');
      if (eq < 1) fail(`"${k}" is not key=value`);
      return [k.slice(0, eq), k.slice(eq + 1)] as const;
    }),
  );
  for (const k of kv.keys())
    if (!['t', 'step', 'thread', 'event', 'period', 'cpu', 'merge'].includes(k))
      fail(`unknown key ${k}`);
  const [pid, tid = pid] = (kv.get('thread') ?? '100').split('/').map(Number);
  const merge = (kv.get('merge') ?? 'classic') as Status;
  if (!STATUSES.includes(merge)) fail(`merge= takes ${STATUSES.join(', ')}`);
  const step = Number(kv.get('step') ?? 10);
  return {
    comm,
    user,
    kernel: kernel.map((f) => f.slice(0, -KERNEL_MARK.length)),
    count: Number(count),
    time: kv.has('t') ? Number(kv.get('t')) : nextTime,
    step,
    pid: pid!,
    tid: tid!,
    event: kv.get('event') ?? 'cpu-clock',
    period: Number(kv.get('period') ?? 1),
    cpu: Number(kv.get('cpu') ?? 0),
    merge,
  };
}

const hex = (v: number | bigint): string => v.toString(16);

/** The perf.data description, ELF files (by path) and kallsyms of a text profile. */
export function describeTextProfile(text: string): {
  description: string;
  files: Map<string, Uint8Array>;
  kallsyms: string;
} {
  const lines: Line[] = [];
  let nextTime = 0;
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const line = parseLine(t, i + 1, nextTime);
    lines.push(line);
    nextTime = line.time + line.count * line.step;
  });
  // Events and functions are numbered in order of first appearance.
  const events = new StringTableBuilder();
  // User functions per file (the program first), each file its own ELF.
  const userFuncs = new Map<string, StringTableBuilder>([[PROGRAM, new StringTableBuilder()]]);
  const fileOf = (frame: string): { path: string; name: string } => {
    const at = frame.lastIndexOf(LIB_MARK);
    if (at <= 0) return { path: PROGRAM, name: frame };
    return { path: `/usr/lib/${frame.slice(at + 1)}`, name: frame.slice(0, at) };
  };
  const kernelFuncs = new StringTableBuilder();
  for (const l of lines) {
    events.intern(l.event);
    for (const frame of l.user) {
      const { path, name } = fileOf(frame);
      if (!userFuncs.has(path)) userFuncs.set(path, new StringTableBuilder());
      userFuncs.get(path)!.intern(name);
    }
    l.kernel.forEach((f) => kernelFuncs.intern(f));
  }
  if (events.strings.length === 0) events.intern('cpu-clock');
  const deferred = lines.some((l) => l.merge !== 'classic');
  const out: string[] = [];
  events.strings.forEach((name, i) => {
    const { type, config } = EVENT_CONFIG[name] ?? { type: 0, config: i };
    const flags = deferred ? ` defer_callchain${i === 0 ? ' defer_output' : ''}` : '';
    out.push(
      `event ${name} type=${type} config=${config} sample_type=IP|TID|TIME|CALLCHAIN|CPU|PERIOD|IDENTIFIER${flags}`,
    );
  });
  const files = [...userFuncs].map(([path, funcs], k) => ({
    path,
    funcs,
    base: USER_BASE + k * MAP_SPAN,
    ...elfWith(funcs.strings),
  }));
  const userAddr = (frame: string): string => {
    const { path, name } = fileOf(frame);
    const file = files.find((f) => f.path === path)!;
    return hex(file.base + file.text + file.funcs.intern(name) * FUNC_SIZE + 0x10);
  };
  const kernelAddr = (f: string): string =>
    hex(KERNEL_BASE + BigInt(kernelFuncs.intern(f) * FUNC_SIZE + 0x10));
  out.push(
    `mmap -1/0 t=0 kernel ${hex(KERNEL_BASE)}+0x1000000 @0x${hex(KERNEL_BASE)} [kernel.kallsyms]_text`,
  );
  const pids = new Set<number>();
  const comms = new Map<number, string>();
  // A record of a thread makes every sample of that thread still waiting with another cookie a
  // mismatch (perf 6.19's rule), so `end` samples must be their thread's last deferred ones.
  const waitingToEnd = new Map<number, number>();
  let cookie = 0x1000;
  // Samples in time order; records at a sample's time follow it (perf keeps file order).
  const samples = lines
    .flatMap((l) => Array.from({ length: l.count }, (_, k) => ({ l, time: l.time + k * l.step })))
    .sort((a, b) => a.time - b.time);
  for (const { l, time } of samples) {
    const thread = `${l.pid}/${l.tid}`;
    if (!pids.has(l.pid)) {
      pids.add(l.pid);
      for (const f of files)
        out.push(
          `mmap ${l.pid}/${l.pid} t=${time} 0x${hex(f.base)}+0x${hex(MAP_SPAN)} @0 ${f.path}`,
        );
    }
    if (comms.get(l.tid) !== l.comm) {
      comms.set(l.tid, l.comm);
      out.push(`comm ${thread} t=${time} ${l.comm}`);
    }
    // Callchains are innermost first.
    const kernel = l.kernel.map(kernelAddr).reverse();
    const user = l.user.map(userAddr).reverse();
    const parts: string[] = [];
    if (kernel.length) parts.push(`kernel:${kernel.join(',')}`);
    const ip = kernel[0] ?? user[0] ?? '0';
    const where = `${thread} t=${time} cpu=${l.cpu} event=${events.intern(l.event)} period=${l.period} ip=${ip}`;
    if (l.merge === 'classic') {
      if (user.length) parts.push(`user:${user.join(',')}`);
      out.push(`sample ${where} chain=${parts.join(';')}${kernel.length ? '' : ' user'}`);
      continue;
    }
    const mine = cookie++;
    parts.push(`deferred:${hex(mine)}`);
    out.push(`sample ${where} chain=${parts.join(';')}${kernel.length ? '' : ' user'}`);
    if (l.merge === 'end') {
      waitingToEnd.set(l.tid, time);
      continue;
    }
    if (waitingToEnd.has(l.tid))
      throw new Error(
        `text profile: thread ${l.tid} has a merge=end sample at t=${waitingToEnd.get(l.tid)} before a merge=${l.merge} one at t=${time}; its record would make the first a cookie mismatch`,
      );
    const recordCookie = l.merge === 'merged' ? mine : mine + 0x100000;
    out.push(
      `deferred ${thread} t=${time} cpu=${l.cpu} cookie=0x${hex(recordCookie)} ips=${user.join(',')}`,
    );
  }
  const kallsyms = [
    `${hex(KERNEL_BASE)} T _text`,
    ...kernelFuncs.strings.map((f, i) => `${hex(KERNEL_BASE + BigInt(i * FUNC_SIZE))} T ${f}`),
  ].join('\n');
  return {
    description: out.join('\n'),
    files: new Map(files.map((f) => [f.path, f.bytes])),
    kallsyms: `${kallsyms}\n`,
  };
}

/**
 * An x86-64 shared object whose .text holds one FUNC_SIZE function per name, in order, at
 * addresses equal to their file offsets (one PT_LOAD from offset 0 at address 0).
 */
function elfWith(names: string[]): { bytes: Uint8Array; text: number } {
  const spec = (textAt: number): BuildElf => ({
    is64: true,
    littleEndian: true,
    type: 3,
    machine: 62,
    sections: [
      {
        name: '.text',
        type: 1,
        flags: 6n,
        addr: BigInt(textAt),
        data: new Uint8Array(Math.max(1, names.length) * FUNC_SIZE),
      },
    ],
    phdrs: [{ type: 1, flags: 5, offset: 0n, vaddr: 0n, filesz: 0x100000n, memsz: 0x100000n }],
    symtab: names.map((name, i) => ({
      name,
      value: BigInt(textAt + i * FUNC_SIZE),
      size: BigInt(FUNC_SIZE),
      type: 2,
      bind: 1,
      shndx: '.text',
    })),
  });
  // Where the builder puts .text does not depend on its address: ask, then place it there.
  const text = ElfFile.fromBytes('prog', buildElf(spec(0))).section('.text')!.offset;
  return { bytes: buildElf(spec(text)), text };
}

/** Writes the text profile's recording and symbol files and loads it into the model. */
export async function textProfile(
  text: string,
  options: { singleThread?: boolean } = {},
): Promise<TextProfile> {
  const { description, files, kallsyms } = describeTextProfile(text);
  const dir = mkdtempSync(join(tmpdir(), 'perfws-text-profile-'));
  const path = join(dir, 'perf.data');
  writeFileSync(path, writePerfData(description));
  const symfs = join(dir, 'symfs');
  for (const [file, bytes] of files) {
    mkdirSync(join(symfs, dirname(file)), { recursive: true });
    writeFileSync(join(symfs, file), bytes);
  }
  const kallsymsPath = join(dir, 'kallsyms');
  writeFileSync(kallsymsPath, kallsyms);
  const symbols = { symfs, kallsyms: kallsymsPath, buildidDir: join(dir, 'no-buildid-cache') };
  const reader = PerfDataReader.open(path);
  try {
    const profile = await loadProfile(reader, {
      symbols,
      singleThread: options.singleThread ?? true,
    });
    return { profile, path, symbols, description };
  } finally {
    reader.close();
  }
}
