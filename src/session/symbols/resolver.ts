/**
 * The entry point: finds and loads the symbols of user-space DSOs, JIT maps
 * and the kernel the way perf 6.1 does, caches them, and collects warnings
 * instead of throwing when something is missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { perfDemangle } from './demangle/demangle.js';
import { ElfFile } from './elf/elf-file.js';
import { buildIdsEqual } from './elf/elf-notes.js';
import { loadGnuDebugdata } from './elf/gnu-debugdata.js';
import {
  type KernelModuleMap,
  kallsymsFunctionStart,
  loadKallsyms,
  readKallsymsFile,
  sortKallsyms,
  type SortedKallsyms,
} from './kernel/kallsyms.js';
import {
  buildIdCachePath,
  candidateFiles,
  isRegularFile,
  joinSymfs,
} from './locate/candidate-files.js';
import { loadPerfMap } from './perf-map.js';
import {
  type Demangler,
  type SymbolSource,
  loadElfSymbols,
  possiblyRuntime,
  symbolSource,
  synthesizePltSymbols,
} from './table/load-elf-symbols.js';
import { type ResolvedSymbol, SymbolTree } from './table/symbol-tree.js';

export type { ResolvedSymbol } from './table/symbol-tree.js';
export type { KernelModuleMap } from './kernel/kallsyms.js';

export interface SymbolOptions {
  /** Root under which every DSO path and debug file is looked up (perf --symfs). */
  symfs?: string;
  /** kallsyms file for [kernel.kallsyms] (perf --kallsyms). */
  kallsyms?: string;
  /** Build-id cache root (perf --buildid-dir); default ~/.debug. */
  buildidDir?: string;
  /** Demangle C++/Rust names as perf does (default true); false prints raw names. */
  demangle?: boolean;
  /**
   * Also use the symbols in a file's .gnu_debugdata (xz-compressed
   * "MiniDebugInfo"). perf 6.1 does not read it, so this is off by default.
   */
  gnuDebugdata?: boolean;
}

export interface DsoRef {
  /** The path recorded in the MMAP record (or /tmp/perf-PID.map for JIT code). */
  path: string;
  /** Recorded build-id, lowercase hex. */
  buildId?: string;
  /** Process id (only informative: perf uses it for mount namespaces). */
  pid?: number;
}

export interface LoadedDso {
  readonly path: string;
  /** The build-id used to find files (recorded, else read from the file). */
  readonly buildId: string | undefined;
  /** False when no usable file was found: find() always answers undefined. */
  readonly resolved: boolean;
  /** The file the symbol table came from (perf's symsrc_filename). */
  readonly symbolFile: string | undefined;
  /**
   * The symbol containing addr. addr is in perf's map_ip space: for a file
   * mapping ip - map.start + map.pgoff, for a perf-PID.map the ip itself.
   */
  find(addr: bigint | number): ResolvedSymbol | undefined;
}

export interface KernelRef {
  buildId?: string;
  /**
   * perf's ref_reloc_sym: the kernel MMAP record's filename suffix (the
   * "_text" of "[kernel.kallsyms]_text") and its pgoff, the symbol's address
   * in the recorded kernel. Kernel symbols move by the difference to the
   * kallsyms file's address of that symbol (a KASLR offset between boots).
   */
  refSymbol?: { name: string; addr: bigint };
  /** The recording's kernel module maps; module symbols of other modules are dropped. */
  modules?: readonly KernelModuleMap[];
}

export interface LoadedKernel {
  readonly resolved: boolean;
  /** The kallsyms file used. */
  readonly symbolFile: string | undefined;
  /** First symbol start and last symbol end: perf's kernel map after map__fixup_start/end. */
  readonly range: { start: bigint; end: bigint } | undefined;
  /** Symbol of a [kernel.kallsyms] address (absolute). */
  find(addr: bigint): ResolvedSymbol | undefined;
  /** A module's symbols; its find() takes addresses relative to the module map (perf's map_ip). */
  module(name: string): LoadedDso | undefined;
}

class TreeDso implements LoadedDso {
  constructor(
    readonly path: string,
    readonly buildId: string | undefined,
    readonly symbolFile: string | undefined,
    private readonly tree: SymbolTree | undefined,
  ) {}

  get resolved(): boolean {
    return this.tree !== undefined;
  }

  find(addr: bigint | number): ResolvedSymbol | undefined {
    if (!this.tree) return undefined;
    return typeof addr === 'number' ? this.tree.findNumber(addr) : this.tree.find(addr);
  }
}

/** Kallsyms files read and sorted, by path. */
export type KallsymsFiles = Map<string, SortedKallsyms>;

const PERF_MAP_RE = /^\/tmp\/perf-\d+\.map$/;

export class SymbolResolver {
  private readonly symfs: string;
  private readonly buildIdDir: string;
  private readonly demangler: Demangler | undefined;
  private readonly dsos = new Map<string, LoadedDso>();
  private readonly kernels = new Map<string, LoadedKernel>();
  private readonly warningList: string[] = [];

  constructor(
    private readonly opts: SymbolOptions = {},
    /**
     * Kallsyms files read and sorted, by path (prepareKernel, then each kernel() that uses one);
     * resolvers of one command (perf diff's recordings) can share them.
     */
    private readonly kallsymsFiles: KallsymsFiles = new Map(),
  ) {
    this.symfs = opts.symfs ?? '';
    this.buildIdDir = opts.buildidDir ?? path.join(os.homedir(), '.debug');
    this.demangler = opts.demangle === false ? undefined : perfDemangle;
  }

  warnings(): string[] {
    return [...this.warningList];
  }

  private warn(message: string): void {
    this.warningList.push(message);
  }

  /** A user-space DSO (or JIT map), loaded once and cached. */
  dso(ref: DsoRef): LoadedDso {
    const buildId = ref.buildId?.toLowerCase();
    const key = `${ref.path}\0${buildId ?? ''}`;
    let dso = this.dsos.get(key);
    if (!dso) {
      dso = PERF_MAP_RE.test(ref.path)
        ? this.loadPerfMapDso(ref.path)
        : this.loadElfDso(ref.path, buildId);
      this.dsos.set(key, dso);
    }
    return dso;
  }

  private loadPerfMapDso(mapPath: string): LoadedDso {
    // perf 6.1 opens the map at its own path; we look under symfs first.
    const tries = this.symfs ? [joinSymfs(this.symfs, mapPath), mapPath] : [mapPath];
    for (const p of tries) {
      if (!isRegularFile(p)) continue;
      try {
        return new TreeDso(mapPath, undefined, p, loadPerfMap(fs.readFileSync(p, 'latin1')));
      } catch (e) {
        this.warn(`symbols: cannot read JIT map ${p}: ${(e as Error).message}`);
      }
    }
    this.warn(
      `symbols: no JIT symbol map ${mapPath}${this.symfs ? ` (also looked under symfs ${this.symfs})` : ''}`,
    );
    return new TreeDso(mapPath, undefined, undefined, undefined);
  }

  /** dso__load() for a user-space DSO. */
  private loadElfDso(dsoPath: string, recordedBuildId: string | undefined): LoadedDso {
    let buildId = recordedBuildId;
    if (!buildId && !dsoPath.startsWith('['))
      buildId = this.readBuildIdQuietly(joinSymfs(this.symfs, dsoPath));

    const opened: ElfFile[] = [];
    const rejected: string[] = [];
    let syms: SymbolSource | undefined;
    let runtime: SymbolSource | undefined;
    const seen = new Set<string>();
    try {
      for (const c of candidateFiles({
        dsoPath,
        buildId,
        symfs: this.symfs,
        buildIdDir: this.buildIdDir,
      })) {
        if (seen.has(c.path)) continue;
        seen.add(c.path);
        if (!isRegularFile(c.path)) continue;
        let elf: ElfFile;
        try {
          elf = ElfFile.open(c.path);
        } catch (e) {
          rejected.push(`${c.path}: ${(e as Error).message}`);
          continue;
        }
        // symsrc__init(): always reject images with a mismatched build-id.
        if (buildId) {
          const have = elf.buildId();
          if (!have || !buildIdsEqual(buildId, have)) {
            rejected.push(`${c.path} has build-id ${have ?? 'none'}, recorded ${buildId}`);
            elf.close();
            continue;
          }
        }
        const ss = symbolSource(elf);
        let used = false;
        if (!syms && ss.symtab) {
          syms = ss;
          used = true;
        }
        if (!runtime && possiblyRuntime(ss)) {
          runtime = ss;
          used = true;
        }
        if (used) opened.push(elf);
        else elf.close();
        if (syms && runtime) break;
      }

      if (this.opts.gnuDebugdata && !syms && runtime) {
        const mini = this.miniDebugInfo(runtime.elf);
        if (mini) syms = mini;
      }

      if (!syms && !runtime) {
        const why = rejected.length ? `; rejected: ${rejected.join('; ')}` : '';
        this.warn(
          `symbols: no usable file for ${dsoPath} (build-id ${buildId ?? 'unknown'})` +
            `${this.symfs ? ` under symfs ${this.symfs}` : ''}${why}`,
        );
        return new TreeDso(dsoPath, buildId, undefined, undefined);
      }
      syms ??= runtime!;
      runtime ??= syms;

      const tree = new SymbolTree();
      const nr = loadElfSymbols(tree, syms, runtime, this.demangler);
      if (nr > 0) synthesizePltSymbols(tree, runtime, this.demangler);
      if (nr < 0) this.warn(`symbols: problems reading the symbol table of ${syms.elf.path}`);
      return new TreeDso(dsoPath, buildId, syms.elf.path, tree);
    } catch (e) {
      this.warn(`symbols: cannot load ${dsoPath}: ${(e as Error).message}`);
      return new TreeDso(dsoPath, buildId, undefined, undefined);
    } finally {
      for (const elf of opened) elf.close();
    }
  }

  private miniDebugInfo(elf: ElfFile): SymbolSource | undefined {
    try {
      const mini = loadGnuDebugdata(elf);
      if (!mini) return undefined;
      const ss = symbolSource(mini);
      return ss.symtab ? ss : undefined;
    } catch (e) {
      this.warn(`symbols: cannot read .gnu_debugdata of ${elf.path}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private readBuildIdQuietly(file: string): string | undefined {
    if (!isRegularFile(file)) return undefined;
    try {
      const elf = ElfFile.open(file);
      try {
        return elf.buildId();
      } finally {
        elf.close();
      }
    } catch {
      return undefined;
    }
  }

  /** [kernel.kallsyms] and module symbols, from the kallsyms file (dso__load_kernel_sym). */
  kernel(ref: KernelRef = {}): LoadedKernel {
    const key = JSON.stringify({
      b: ref.buildId ?? '',
      r: ref.refSymbol ? [ref.refSymbol.name, ref.refSymbol.addr.toString()] : null,
      m: ref.modules?.map((m) => [m.name, m.start.toString()]) ?? null,
    });
    let k = this.kernels.get(key);
    if (!k) {
      k = this.loadKernel(ref);
      this.kernels.set(key, k);
    }
    return k;
  }

  /**
   * Reads and sorts the kallsyms file that kernel() will use for a kernel with this build-id,
   * before any sample needs it: what takes the time (reading /proc/kallsyms, sorting 100,000
   * symbols) needs nothing from the recording's records. Failures are left to kernel().
   */
  prepareKernel(buildId: string | undefined): void {
    const file = this.kallsymsPath(buildId);
    if (!file) return;
    try {
      this.sortedKallsyms(file);
    } catch {
      // kernel() reads it again and says why it cannot
    }
  }

  private sortedKallsyms(file: string): SortedKallsyms {
    let sorted = this.kallsymsFiles.get(file);
    if (!sorted) {
      sorted = sortKallsyms(readKallsymsFile(file));
      this.kallsymsFiles.set(file, sorted);
    }
    return sorted;
  }

  private kallsymsPath(buildId: string | undefined): string | undefined {
    if (this.opts.kallsyms) return this.opts.kallsyms;
    // "do not try local files if a symfs was given"
    if (this.symfs) return undefined;
    if (buildId) {
      const cached = buildIdCachePath(this.buildIdDir, buildId, 'kallsyms');
      if (isRegularFile(cached)) return cached;
      const legacy = path.join(this.buildIdDir, '[kernel.kallsyms]', buildId);
      if (isRegularFile(legacy)) return legacy;
      const running = this.readRunningKernelBuildId();
      if (running && !buildIdsEqual(buildId, running)) return undefined;
    }
    return '/proc/kallsyms';
  }

  private readRunningKernelBuildId(): string | undefined {
    try {
      const notes = fs.readFileSync('/sys/kernel/notes');
      for (let p = 0; p + 12 <= notes.length;) {
        const namesz = notes.readUInt32LE(p);
        const descsz = notes.readUInt32LE(p + 4);
        const type = notes.readUInt32LE(p + 8);
        const nameAt = p + 12;
        const descAt = nameAt + ((namesz + 3) & ~3);
        if (type === 3 && namesz === 4 && notes.toString('latin1', nameAt, nameAt + 3) === 'GNU') {
          return notes.subarray(descAt, descAt + Math.min(descsz, 20)).toString('hex');
        }
        p = descAt + ((descsz + 3) & ~3);
      }
    } catch {
      // no /sys/kernel/notes (not Linux, or no access)
    }
    return undefined;
  }

  private loadKernel(ref: KernelRef): LoadedKernel {
    const unresolved = (why: string): LoadedKernel => {
      this.warn(`symbols: no kernel symbols (build-id ${ref.buildId ?? 'unknown'}): ${why}`);
      return {
        resolved: false,
        symbolFile: undefined,
        range: undefined,
        find: () => undefined,
        module: () => undefined,
      };
    };
    const file = this.kallsymsPath(ref.buildId);
    if (!file)
      return unresolved(
        this.symfs ? 'no --kallsyms file given and a symfs is set' : 'no kallsyms file',
      );
    let sorted: SortedKallsyms;
    try {
      sorted = this.sortedKallsyms(file);
    } catch (e) {
      return unresolved(`cannot read ${file}: ${(e as Error).message}`);
    }
    let delta = 0n;
    if (ref.refSymbol) {
      // kallsyms__delta(): the relocation between the recorded kernel and this file.
      const name = ref.refSymbol.name.replace(/\].*$/, '');
      const at = kallsymsFunctionStart(sorted.text, name);
      if (at === undefined) return unresolved(`${file} has no function symbol ${name}`);
      delta = at - ref.refSymbol.addr;
    }
    const tables = loadKallsyms(sorted, delta, ref.modules);
    const modules = new Map<string, LoadedDso>();
    for (const [name, m] of tables.modules) {
      modules.set(name, new TreeDso(`[${name}]`, undefined, file, m.symbols));
    }
    const kernel = tables.kernel;
    return {
      resolved: true,
      symbolFile: file,
      range: kernel.range(),
      find: (addr) => kernel.find(addr),
      module: (name) => modules.get(name.replace(/^\[/, '').replace(/\]$/, '')),
    };
  }
}
