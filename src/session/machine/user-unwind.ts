import os from 'node:os';
import path from 'node:path';
import { inlineChain, perfLoadBias, unwindUser, type CodeModule } from '../dwarf';
import { SampleType } from '../perf-data/constants';
import type { Sample } from '../perf-data/sample';
import { bigFromSigned, signedFromHalves } from '../perf-data/u64';
import { ElfFile, perfDemangle, type SymbolOptions } from '../symbols';
import { buildIdCachePath, isRegularFile, joinSymfs } from '../symbols/locate/candidate-files';
import type { ChainFrame } from './callchain';
import { CpuMode, type Machine, type Thread } from './machine';
import type { Dso, MapEntry } from './maps';
import type { Symbolizer } from './symbolize';

/** What unwinding needs of a sample. */
export type UnwindInput = Pick<Sample, 'regsUser' | 'stackUser'> & {
  event: { attr: { sampleType: number } };
};

/**
 * `--call-graph dwarf` samples carry user registers and a copy of the user stack instead of user
 * callchain entries; perf unwinds them with the CFI of the mapped files (libunwind's rules, see
 * src/session/dwarf) and expands inlined functions with the files' DWARF. This does the same and
 * returns frames in the callchain's shape, innermost first.
 */
export class UserUnwinder {
  private readonly files = new Map<number, ElfFile | undefined>();
  private readonly symfs: string;
  private readonly buildIdDir: string;
  private readonly demangle: boolean;

  constructor(
    private readonly machine: Machine,
    private readonly symbols: Symbolizer,
    options: SymbolOptions = {},
    private readonly arch = 'x86_64',
  ) {
    this.symfs = options.symfs ?? '';
    this.buildIdDir = options.buildidDir ?? path.join(os.homedir(), '.debug');
    this.demangle = options.demangle !== false;
  }

  /** perf unwinds when the event samples both user registers and the user stack. */
  static applies(sample: UnwindInput): boolean {
    const t = sample.event.attr.sampleType;
    return (
      (t & SampleType.REGS_USER) !== 0 &&
      (t & SampleType.STACK_USER) !== 0 &&
      sample.regsUser !== undefined &&
      sample.regsUser.abi !== 0 &&
      sample.stackUser !== undefined &&
      sample.stackUser.data.length > 0
    );
  }

  /** The sample's user frames, each followed by nothing or preceded by its inlined functions. */
  frames(thread: Thread, sample: UnwindInput, maxFrames: number): ChainFrame[] {
    if (!UserUnwinder.applies(sample)) return [];
    const regs = sample.regsUser!;
    const findModule = (addr: bigint): CodeModule | undefined => this.module(thread, addr);
    let ips: bigint[];
    try {
      ips = unwindUser(this.arch, regs, sample.stackUser!.data, findModule, maxFrames);
    } catch {
      return []; // hostile CFI: perf's libunwind gives up the same way
    }
    const out: ChainFrame[] = [];
    for (const big of ips) {
      const ip = signedFromHalves(Number(big & 0xffffffffn), Number(big >> 32n));
      const loc = this.machine.findMap(thread, CpuMode.USER, ip);
      const frame: ChainFrame = { index: -1, ip, cpumode: CpuMode.USER, loc };
      if (loc) {
        const elf = this.file(loc.map.dso);
        const names = elf ? inlineChain(elf, bigFromSigned(loc.addr)) : undefined;
        if (names) {
          const outer = this.symbols.lookup(loc)?.name;
          for (const raw of names) {
            const name = this.demangle ? (perfDemangle(raw) ?? raw) : raw;
            if (name !== outer) out.push({ ...frame, inlineName: name });
          }
        }
      }
      out.push(frame);
    }
    return out;
  }

  /** What the unwinder may read at an address: the map there, its file, its load bias. */
  private module(thread: Thread, addr: bigint): CodeModule | undefined {
    if (addr >= 1n << 63n) return undefined;
    const loc = this.machine.findMap(thread, CpuMode.USER, Number(addr));
    if (!loc) return undefined;
    const map = loc.map;
    const elf = this.file(map.dso);
    return {
      elf,
      bias: elf ? perfLoadBias(elf, BigInt(lowestStart(thread, map))) : 0n,
      map: { start: BigInt(map.start), pgoff: BigInt(map.pgoff) },
    };
  }

  /** The DSO's binary (perf's dso data file): the build-id cache, else the path under symfs. */
  private file(dso: Dso): ElfFile | undefined {
    if (this.files.has(dso.id)) return this.files.get(dso.id);
    let elf: ElfFile | undefined;
    if (dso.kind === 'file') {
      const candidates = [
        ...(dso.buildId ? [buildIdCachePath(this.buildIdDir, dso.buildId, 'elf')] : []),
        joinSymfs(this.symfs, dso.name),
      ];
      for (const p of candidates) {
        if (!isRegularFile(p)) continue;
        try {
          const f = ElfFile.open(p);
          const id = f.buildId();
          if (dso.buildId && id && id !== dso.buildId) {
            f.close();
            continue; // a different build of the file: never used
          }
          elf = f;
          break;
        } catch {
          // not an ELF file: try the next candidate
        }
      }
    }
    this.files.set(dso.id, elf);
    return elf;
  }
}

function lowestStart(thread: Thread, map: MapEntry): number {
  let lowest = map.start;
  for (const m of thread.maps.all()) if (m.dso === map.dso && m.start < lowest) lowest = m.start;
  return lowest;
}
