/**
 * Address-space mappings of one process (or of the kernel), as perf keeps them (util/maps.c):
 * non-overlapping, sorted by start; a new mapping cuts away what it overlaps
 * (maps__fixup_overlappings), keeping the parts before and after.
 */

/** A DSO: a file or pseudo-file that code is mapped from. */
export interface Dso {
  readonly id: number;
  /** The name perf prints: the file path, `[kernel.kallsyms]`, `[vdso]`, `/tmp/perf-PID.map`. */
  readonly name: string;
  readonly kind: 'file' | 'kernel' | 'module' | 'vdso' | 'jit' | 'anon';
  /** Lower-case hex build-id, when the recording has one for this file. */
  buildId?: string;
  /** Kernel-space DSO (perf's dso->kernel): its addresses print absolute. */
  readonly isKernel: boolean;
}

export interface MapEntry {
  /** [start, end) in the signed address encoding. */
  start: number;
  end: number;
  /** File offset of `start` (perf's pgoff). */
  pgoff: number;
  dso: Dso;
  /** Anonymous and JIT maps use absolute addresses (identity__map_ip). */
  identity: boolean;
  prot: number;
  flags: number;
}

/** perf's map__map_ip: the address in the DSO's address space. */
export function mapIp(map: MapEntry, ip: number): number {
  return map.identity ? ip : ip - map.start + map.pgoff;
}

export class Maps {
  private entries: MapEntry[] = [];
  /** Last hit, checked first: consecutive frames mostly fall in the same map. */
  private last: MapEntry | undefined;
  /** Changes whenever the mappings change: caches of resolved addresses key on it. */
  version = 0;

  get size(): number {
    return this.entries.length;
  }

  all(): readonly MapEntry[] {
    return this.entries;
  }

  clone(): Maps {
    const m = new Maps();
    m.version = this.version;
    m.entries = this.entries.map((e) => ({ ...e }));
    return m;
  }

  find(addr: number): MapEntry | undefined {
    const last = this.last;
    if (last && addr >= last.start && addr < last.end) return last;
    const e = this.entries;
    let lo = 0;
    let hi = e.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = e[mid]!;
      if (addr < m.start) hi = mid - 1;
      else if (addr >= m.end) lo = mid + 1;
      else {
        this.last = m;
        return m;
      }
    }
    return undefined;
  }

  /** Inserts `map`, cutting overlapped parts of existing maps (maps__fixup_overlappings). */
  insert(map: MapEntry): void {
    this.last = undefined;
    this.version++;
    const e = this.entries;
    // First index whose end is after map.start.
    let i = lowerBound(e, map.start);
    const replaced: MapEntry[] = [];
    const from = i;
    while (i < e.length && e[i]!.start < map.end) {
      const old = e[i]!;
      if (old.start < map.start) replaced.push({ ...old, end: map.start });
      if (old.end > map.end) {
        replaced.push({
          ...old,
          start: map.end,
          pgoff: old.identity ? old.pgoff : old.pgoff + (map.end - old.start),
        });
      }
      i++;
    }
    // before-pieces sort before map, after-pieces after it
    const before = replaced.filter((r) => r.end <= map.start);
    const after = replaced.filter((r) => r.start >= map.end);
    e.splice(from, i - from, ...before, map, ...after);
  }

  /** The kernel map can be re-set by a later kernel MMAP record (machine__update_kernel_mmap). */
  remove(map: MapEntry): void {
    const i = this.entries.indexOf(map);
    if (i >= 0) this.entries.splice(i, 1);
    this.last = undefined;
    this.version++;
  }
}

function lowerBound(e: MapEntry[], addr: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[mid]!.end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
