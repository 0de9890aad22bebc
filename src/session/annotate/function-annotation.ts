/**
 * The app's annotate answer: a function of the profile disassembled by objdump (in the session:
 * only text crosses to the renderer), each instruction with the filtered samples whose ip falls
 * in its bytes, its source line from the DWARF line table (objdump -l) and its jump target, and
 * the source files' lines when the files can be found.
 */
import os from 'node:os';
import path from 'node:path';
import type {
  AnnotateAnswer,
  AnnotatedInstruction,
  AnnotatedSource,
  AnnotateQuery,
  SymbolSettings,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import { LibKind, type Profile } from '../../shared/model';
import { lowerBound, resolveFilters, stackWeights } from '../query/filters';
import type { SymbolResolver } from '../symbols';
import { DisassemblyError, objdumpArgs, symbolCode } from './disassemble';
import { listInstructions, type ListedInstruction } from './instruction-listing';
import { ObjdumpError, runObjdump } from './objdump';
import { findSourceFile, readSourceLines } from './source-files';

export interface AnnotationContext {
  /** The symbol settings the recording was opened with. */
  symbols: SymbolSettings;
  /** The session's resolver (symbol tables stay loaded between answers). */
  resolver: SymbolResolver;
  /** What is kept between answers: disassemblies, and sample weights by filters. */
  cache: AnnotationCache;
  objdump?: string;
  signal?: AbortSignal;
}

/** Functions longer than this are not disassembled for the app. */
const MAX_CODE_BYTES = 4 * 1024 * 1024;
/** At most this many instructions go into an answer. */
const MAX_INSTRUCTIONS = 200_000;
/** Source lines shown around the function's own. */
const SOURCE_CONTEXT = 3;

/** The last few values by key, least recently used dropped first. */
class Recent<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly size: number) {}

  get(key: string, make: () => V): V {
    let hit = this.entries.get(key);
    if (hit !== undefined) this.entries.delete(key);
    else hit = make();
    this.entries.set(key, hit);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return hit;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * Kept between answers: a change of filters re-counts without running objdump again, another
 * function under the same filters reuses the counts.
 */
export class AnnotationCache {
  private readonly disassemblies = new Recent<Promise<ListedInstruction[]>>(16);
  private readonly weights = new Recent<LeafWeights>(4);

  disassembly(key: string, make: () => Promise<ListedInstruction[]>): Promise<ListedInstruction[]> {
    const hit = this.disassemblies.get(key, make);
    hit.catch(() => this.disassemblies.delete(key));
    return hit;
  }

  leafWeights(profile: Profile, q: AnnotateQuery): LeafWeights {
    return this.weights.get(JSON.stringify(resolveFilters(profile, q.filters)), () =>
      leafWeights(profile, q),
    );
  }
}

export async function annotateFunction(
  profile: Profile,
  q: AnnotateQuery,
  ctx: AnnotationContext,
): Promise<AnnotateAnswer> {
  const { funcs, libs, strings } = profile;
  if (!Number.isInteger(q.func) || q.func < 0 || q.func >= funcs.length) {
    throw new SessionError('bad-request', `no function ${q.func}`);
  }
  const name = strings[funcs.name[q.func]!]!;
  const lib = funcs.lib[q.func]!;
  const libName = lib >= 0 ? strings[libs.name[lib]!]! : '[unknown]';
  const base = { func: q.func, name, symbol: name, lib: libName, samples: 0, period: 0 };
  const none = (unavailable: string): AnnotateAnswer => ({
    ...base,
    instructions: [],
    sources: [],
    unavailable,
  });
  if (lib < 0 || funcs.unresolved[q.func]) {
    return none(`${name} has no symbol: there is nothing to disassemble it by.`);
  }
  const kind = libs.kind[lib]!;
  if (kind === LibKind.KERNEL || kind === LibKind.MODULE) {
    return none(
      'Kernel code cannot be disassembled from kallsyms, which holds names, not instructions: ' +
        "it needs the kernel's vmlinux image (perf annotate refuses it too).",
    );
  }
  if (kind !== LibKind.FILE && kind !== LibKind.VDSO) {
    return none(`${name} is in ${libName}, which has no file to disassemble.`);
  }

  // objdump runs while the samples are counted (it is the slow part); only a name shared by
  // several symbols needs the counts first, to pick the hottest.
  const starts = symbolStarts(profile, q.func);
  let leaf = starts.size > 1 ? ctx.cache.leafWeights(profile, q) : undefined;
  const start = hottestStart(starts, leaf?.samples);
  if (start === undefined) return none(`${name} has no sampled address.`);
  const libPath = strings[libs.path[lib]!]!;
  const buildIdIndex = libs.buildId[lib]!;
  const buildId = buildIdIndex >= 0 ? strings[buildIdIndex] : undefined;
  const table = ctx.resolver.dso({ path: libPath, buildId });
  const sym = table.find(start);
  if (!sym || sym.start !== BigInt(start)) {
    return none(`No symbol table gives ${name}'s size in ${libPath}.`);
  }
  if (sym.end - sym.start > BigInt(MAX_CODE_BYTES)) {
    return none(`${sym.name} is ${sym.end - sym.start} bytes long: too long to show.`);
  }

  let code: { file: string; start: bigint; end: bigint };
  let listed: ListedInstruction[];
  try {
    code = symbolCode(
      // the build-id read from the file when the recording has none, as for the symbols
      { kind: kind === LibKind.VDSO ? 'vdso' : 'file', name: libPath, buildId: table.buildId },
      sym.start,
      sym.end,
      { ...ctx.symbols, buildidDir: ctx.symbols.buildidDir ?? path.join(os.homedir(), '.debug') },
    );
    // shared by every call that wants this range: not tied to one caller's cancellation
    const running = ctx.cache.disassembly(`${code.file}\u0000${code.start}\u0000${code.end}`, () =>
      disassemble(code, ctx.objdump),
    );
    leaf ??= ctx.cache.leafWeights(profile, q);
    listed = await running;
    if (ctx.signal?.aborted) throw new SessionError('cancelled', 'cancelled');
  } catch (e) {
    if (e instanceof DisassemblyError || e instanceof ObjdumpError) return none(e.message.trim());
    throw e;
  }

  const truncated = listed.length > MAX_INSTRUCTIONS;
  const shown = truncated ? listed.slice(0, MAX_INSTRUCTIONS) : listed;
  const instructions = countInstructions(profile, shown, lib, sym, code.start, leaf);
  markJumps(instructions, shown);
  const sources = attachSources(instructions, shown, sym.name, ctx.symbols);
  let samples = 0;
  let period = 0;
  for (const ins of instructions) {
    samples += ins.samples;
    period += ins.period;
  }
  return {
    ...base,
    symbol: sym.name,
    file: code.file,
    samples,
    period,
    instructions,
    sources,
    ...(truncated ? { truncated } : {}),
  };
}

async function disassemble(
  code: { file: string; start: bigint; end: bigint },
  objdump: string | undefined,
): Promise<ListedInstruction[]> {
  const { stdout, stderr } = await runObjdump(objdumpArgs(code.file, code.start, code.end, false), {
    objdump,
  });
  const listed = listInstructions(stdout).filter(
    (i) => i.address >= code.start && i.address < code.end,
  );
  if (listed.length === 0) {
    const why = stderr.trim().split('\n')[0];
    throw new DisassemblyError(
      `objdump printed no instructions for ${code.file}${why ? `: ${why}` : ''}`,
    );
  }
  return listed;
}

/** Samples and period of the filtered samples by their innermost frame (where the ip is). */
interface LeafWeights {
  samples: Map<number, number>;
  period: Map<number, number>;
}

function leafWeights(profile: Profile, q: AnnotateQuery): LeafWeights {
  const f = resolveFilters(profile, q.filters);
  const bySamples = stackWeights(profile, f, 'samples').weights;
  const byPeriod = stackWeights(profile, f, 'period').weights;
  const samples = new Map<number, number>();
  const period = new Map<number, number>();
  const frameOf = profile.stacks.frame;
  for (let st = 0; st < bySamples.length; st++) {
    const n = bySamples[st]!;
    if (n === 0) continue;
    const frame = frameOf[st]!;
    samples.set(frame, (samples.get(frame) ?? 0) + n);
    period.set(frame, (period.get(frame) ?? 0) + byPeriod[st]!);
  }
  return { samples, period };
}

/** Where the function's symbols start (frames know their offset in one), with their frames. */
function symbolStarts(profile: Profile, func: number): Map<number, number[]> {
  const { frames } = profile;
  const starts = new Map<number, number[]>();
  for (let fr = 0; fr < frames.length; fr++) {
    if (frames.func[fr] !== func) continue;
    const off = frames.symbolOffset[fr]!;
    const addr = frames.address[fr]!;
    if (off < 0 || !Number.isFinite(addr)) continue;
    const start = addr - off;
    const list = starts.get(start);
    if (list) list.push(fr);
    else starts.set(start, [fr]);
  }
  return starts;
}

/**
 * A name can belong to several symbols (static functions of several files): the one with the
 * most samples at its own addresses wins, then the lowest.
 */
function hottestStart(
  starts: Map<number, number[]>,
  leafSamples: Map<number, number> | undefined,
): number | undefined {
  let best: number | undefined;
  let bestWeight = -1;
  for (const [start, frames] of starts) {
    let w = 0;
    for (const fr of frames) w += leafSamples?.get(fr) ?? 0;
    if (w > bestWeight || (w === bestWeight && start < best!)) {
      best = start;
      bestWeight = w;
    }
  }
  return best;
}

/** Each instruction with the samples of innermost frames whose address is in its bytes. */
function countInstructions(
  profile: Profile,
  listed: readonly ListedInstruction[],
  lib: number,
  sym: { start: bigint; end: bigint },
  codeStart: bigint,
  leaf: LeafWeights,
): AnnotatedInstruction[] {
  const out: AnnotatedInstruction[] = listed.map((i) => ({
    address: i.address.toString(16),
    text: i.text,
    samples: 0,
    period: 0,
    jump: -1,
    source: -1,
    line: 0,
  }));
  const offsets = Float64Array.from(listed, (i) => Number(i.address - codeStart));
  const { frames, funcs } = profile;
  const start = Number(sym.start);
  const size = Number(sym.end - sym.start);
  for (const [frame, samples] of leaf.samples) {
    if (funcs.lib[frames.func[frame]!] !== lib) continue;
    const offset = frames.address[frame]! - start;
    // the instruction holding the byte: the last one starting at or before it (calc_percent)
    const at = lowerBound(offsets, offset + 1) - 1;
    if (at < 0 || offset < 0) continue;
    const end = at + 1 < offsets.length ? offsets[at + 1]! : size;
    if (offset >= end) continue;
    out[at]!.samples += samples;
    out[at]!.period += leaf.period.get(frame) ?? 0;
  }
  return out;
}

function markJumps(
  instructions: AnnotatedInstruction[],
  listed: readonly ListedInstruction[],
): void {
  const index = new Map<bigint, number>();
  listed.forEach((i, n) => index.set(i.address, n));
  listed.forEach((i, n) => {
    if (i.target !== undefined) instructions[n]!.jump = index.get(i.target) ?? -1;
  });
}

/** Source files of the instructions, with their lines (when found) and per-line totals. */
function attachSources(
  instructions: AnnotatedInstruction[],
  listed: readonly ListedInstruction[],
  symbol: string,
  settings: SymbolSettings,
): AnnotatedSource[] {
  const byFile = new Map<string, number>();
  const sources: AnnotatedSource[] = [];
  const totals: Map<number, { samples: number; period: number }>[] = [];
  listed.forEach((l, n) => {
    const ins = instructions[n]!;
    if (l.func !== undefined && !sameFunction(l.func, symbol)) ins.inlined = l.func;
    if (l.file === undefined || l.line === undefined) return;
    let s = byFile.get(l.file);
    if (s === undefined) {
      s = sources.length;
      byFile.set(l.file, s);
      sources.push({ path: l.file, firstLine: 0, lines: [], lineTotals: [] });
      totals.push(new Map());
    }
    ins.source = s;
    ins.line = l.line;
    const t = totals[s]!.get(l.line) ?? { samples: 0, period: 0 };
    t.samples += ins.samples;
    t.period += ins.period;
    totals[s]!.set(l.line, t);
  });
  sources.forEach((src, s) => {
    const lines = [...totals[s]!.keys()].filter((l) => l > 0);
    src.lineTotals = [...totals[s]!]
      .map(([line, t]) => ({ line, ...t }))
      .sort((a, b) => a.line - b.line);
    const found = findSourceFile(src.path, settings);
    if (!found || lines.length === 0) return;
    try {
      const text = readSourceLines(
        found,
        Math.min(...lines) - SOURCE_CONTEXT,
        Math.max(...lines) + SOURCE_CONTEXT,
      );
      src.foundAt = found;
      src.firstLine = text.firstLine;
      src.lines = text.lines;
    } catch {
      // unreadable after all: shown as not found
    }
  });
  return sources;
}

/** objdump -l names functions with their parameters (C++): `foo(int)` is the symbol `foo`. */
function sameFunction(objdumpName: string, symbol: string): boolean {
  return objdumpName === symbol || objdumpName.startsWith(`${symbol}(`);
}
