import { Misc, RecordType } from '../perf-data/constants';
import type { CommRecord, KernelRecord, MmapRecord, TaskRecord } from '../perf-data/records';
import { Maps, mapIp, type Dso, type MapEntry } from './maps';

/** The name of a thread over time: perf keeps every comm with the time it was set. */
export interface CommEntry {
  comm: string;
  /** Time the comm took effect (relative ns); 0 for the initial one. */
  time: number;
  exec: boolean;
}

export class Thread {
  /** Newest first, like perf's comm_list. */
  readonly comms: CommEntry[];
  commSet = false;
  /**
   * When the thread's first comm replaced its default ":tid" one (comm__override). Samples
   * before it print as ":tid" in perf script: a thread whose FORK was lost has no name until its
   * first COMM.
   */
  unnamedUntil: number | undefined;
  ppid = -1;
  dead = false;

  constructor(
    public pid: number,
    readonly tid: number,
    public maps: Maps,
  ) {
    // perf names a thread it has not seen a COMM for ":<tid>".
    this.comms = [{ comm: `:${tid}`, time: 0, exec: false }];
  }

  /** The current comm (perf's thread__comm_str). */
  get comm(): string {
    return this.comms[0]!.comm;
  }

  /** The current comm object (perf's thread__comm): its first COMM renames it in place. */
  get currentComm(): CommEntry {
    return this.comms[0]!;
  }

  /** The comm at `time` (perf's thread__comm_by_time / comm at sample time). */
  commAt(time: number): string {
    for (const c of this.comms) if (c.time <= time) return c.comm;
    return this.comms[this.comms.length - 1]!.comm;
  }

  setComm(comm: string, time: number, exec: boolean): void {
    if (!this.commSet) {
      // Override the default ":tid" entry (comm__override).
      const first = this.comms[0]!;
      this.unnamedUntil = time;
      first.comm = comm;
      first.time = time;
      first.exec = exec;
    } else {
      this.comms.unshift({ comm, time, exec });
    }
    this.commSet = true;
  }
}

export const KERNEL_DSO_NAME = '[kernel.kallsyms]';

/** cpumode values of perf_event_header.misc. */
export const CpuMode = {
  UNKNOWN: 0,
  KERNEL: 1,
  USER: 2,
  HYPERVISOR: 3,
  GUEST_KERNEL: 4,
  GUEST_USER: 5,
} as const;

/** A resolved address: the map it falls in and the address in the map's DSO space. */
export interface Location {
  map: MapEntry;
  addr: number;
}

/**
 * The host machine as perf models it (util/machine.c, util/thread.c): threads by tid with their
 * comms, processes sharing their maps, fork copying the parent's maps, and the kernel maps.
 */
export class Machine {
  readonly threads = new Map<number, Thread>();
  /** Changes with every side-band record: caches of thread lookups key on it. */
  generation = 0;
  /** Set by removeExitedThreads: a thread that saw its EXIT is gone for findnewThread. */
  private exitedRemoved = false;
  readonly kernelMaps = new Maps();
  private readonly dsos = new Map<string, Dso>();
  private kernelMap: MapEntry | undefined;
  /** perf's machine->kernel_start: 2^63 on x86_64 (signed encoding: negative numbers). */
  private kernelStart = -1;
  private readonly isX86_64: boolean;
  /** The kernel's reference relocation symbol (`_text`) and its unrelocated address. */
  kernelRefSymbol: { name: string; addr: number } | undefined;

  constructor(
    arch: string | undefined,
    /** Build-ids of the recording by file name (HEADER_BUILD_ID). */
    private readonly buildIds: Map<string, string> = new Map(),
  ) {
    this.isX86_64 = arch === undefined || arch === 'x86_64';
    // perf registers the idle task, pid 0, named "swapper".
    this.findnewThread(0, 0).setComm('swapper', 0, false);
  }

  dso(name: string, kind: Dso['kind'], isKernel: boolean): Dso {
    let d = this.dsos.get(name);
    if (!d) {
      d = { id: this.dsos.size, name, kind, isKernel, buildId: this.buildIds.get(name) };
      this.dsos.set(name, d);
    }
    return d;
  }

  allDsos(): Dso[] {
    return [...this.dsos.values()];
  }

  findThread(tid: number): Thread | undefined {
    return this.threads.get(tid);
  }

  /** machine__findnew_thread: threads of one process share the leader's maps. */
  findnewThread(pid: number, tid: number): Thread {
    let th = this.threads.get(tid);
    if (th && !(th.dead && this.exitedRemoved)) {
      this.updateThreadPid(th, pid);
      return th;
    }
    let maps: Maps;
    if (pid === tid || pid === -1) maps = new Maps();
    else maps = this.findnewThread(pid, pid).maps;
    th = new Thread(pid, tid, maps);
    this.threads.set(tid, th);
    return th;
  }

  private updateThreadPid(th: Thread, pid: number): void {
    if (pid === th.pid || pid === -1 || th.pid !== -1) return;
    th.pid = pid;
    if (th.pid === th.tid) return;
    th.maps = this.findnewThread(pid, pid).maps;
  }

  processComm(r: CommRecord, time: number): void {
    this.findnewThread(r.pid, r.tid).setComm(r.comm, time, r.exec);
  }

  /** machine__process_fork_event. */
  processFork(r: TaskRecord, time: number): void {
    let parent = this.findnewThread(r.ppid, r.ptid);
    if (parent.pid !== r.ppid) {
      // A stale thread with the parent's tid: perf drops it and starts afresh.
      this.threads.delete(parent.tid);
      parent = this.findnewThread(r.ppid, r.ptid);
    }
    this.threads.delete(r.tid);
    const child = this.findnewThread(r.pid, r.tid);
    if (parent.commSet) child.setComm(parent.comm, time, false);
    child.ppid = parent.tid;
    // A new process gets a copy of the parent's maps; a new thread shares its process's maps.
    // perf marks FORK records synthesized from /proc (PERF_RECORD_MISC_FORK_EXEC) not to copy.
    const synthesized = (r.misc & (1 << 13)) !== 0;
    if (child.pid !== parent.pid && child.maps !== parent.maps && !synthesized) {
      const copy = parent.maps.clone();
      for (const e of copy.all()) child.maps.insert(e);
    }
  }

  processExit(r: TaskRecord): void {
    const th = this.threads.get(r.tid);
    if (th) th.dead = true;
  }

  /**
   * perf 6.8 and later (machine__process_exit_event without symbol_conf.keep_exited_threads)
   * remove a thread at its EXIT: from now on a lookup of an exited thread finds nothing and
   * makes a new one (`:TID`, fresh maps unless its process leader lives). perf 6.1 kept them.
   */
  removeExitedThreads(): void {
    this.exitedRemoved = true;
    this.generation++;
  }

  processMmap(r: MmapRecord): void {
    const cpumode = r.misc & Misc.CPUMODE_MASK;
    if (cpumode === CpuMode.KERNEL || cpumode === CpuMode.GUEST_KERNEL) {
      this.processKernelMmap(r);
      return;
    }
    const thread = this.findnewThread(r.pid, r.tid);
    const name = r.filename;
    const exec = (r.prot & 4) !== 0;
    const anon =
      name.startsWith('//anon') ||
      name.startsWith('/dev/zero') ||
      name.startsWith('/anon_hugepage') ||
      (r.flags & 0x40000) !== 0; // MAP_HUGETLB
    const noDso = name.startsWith('[stack') || name.startsWith('/SYSV') || name === '[heap]';
    let dso: Dso;
    let pgoff = r.pgoff;
    if (name === '[vdso]') {
      pgoff = 0;
      dso = this.dso('[vdso]', 'vdso', false);
    } else if ((anon || noDso) && exec) {
      // perf looks executable anonymous memory up in the JIT map /tmp/perf-PID.map.
      dso = this.dso(`/tmp/perf-${thread.pid}.map`, 'jit', false);
    } else if (anon || noDso) {
      dso = this.dso(name, 'anon', false);
    } else {
      dso = this.dso(name, 'file', false);
      if (r.buildId && !dso.buildId) dso.buildId = r.buildId;
    }
    thread.maps.insert({
      start: r.start,
      end: r.start + r.len,
      pgoff,
      dso,
      identity: anon || noDso,
      prot: r.prot,
      flags: r.flags,
    });
  }

  /** machine__process_kernel_mmap_event: `[kernel.kallsyms]_text` and module maps. */
  private processKernelMmap(r: MmapRecord): void {
    const name = r.filename;
    const isKernelMmap = name.startsWith(KERNEL_DSO_NAME.slice(0, -1));
    if (name.startsWith('/') || (!isKernelMmap && name.startsWith('['))) {
      const short = moduleShortName(name);
      const dso = this.dso(short, 'module', true);
      if (r.buildId && !dso.buildId) dso.buildId = r.buildId;
      this.kernelMaps.insert({
        start: r.start,
        end: r.start + r.len,
        pgoff: 0,
        dso,
        identity: true,
        prot: 5,
        flags: 0,
      });
      return;
    }
    if (!isKernelMmap) return;
    const dso = this.dso(KERNEL_DSO_NAME, 'kernel', true);
    if (r.buildId && !dso.buildId) dso.buildId = r.buildId;
    let end = r.start + r.len;
    if (r.start === 0 && end === 0) end = Infinity;
    // A kernel map with a wrapped end (start + ~0) runs to the top of the address space.
    if (end <= r.start) end = Infinity;
    if (this.kernelMap) this.kernelMaps.remove(this.kernelMap);
    this.kernelMap = {
      start: r.start,
      end,
      pgoff: r.pgoff,
      dso,
      identity: true,
      prot: 5,
      flags: 0,
    };
    this.kernelMaps.insert(this.kernelMap);
    if (r.pgoff !== 0) {
      this.kernelRefSymbol = { name: name.slice(KERNEL_DSO_NAME.length), addr: r.pgoff };
    }
    if (!this.isX86_64) this.kernelStart = r.start;
  }

  /** machine__kernel_ip. */
  isKernelIp(addr: number): boolean {
    if (this.isX86_64) return addr < 0; // >= 2^63
    return addr >= this.kernelStart;
  }

  /**
   * thread__find_map: the map of `addr` for a thread in a cpumode. A user-mode address that is
   * in no user map but is a kernel address is looked up in the kernel maps (vsyscall and the like).
   */
  findMap(thread: Thread, cpumode: number, addr: number): Location | undefined {
    let maps: Maps;
    if (cpumode === CpuMode.KERNEL) maps = this.kernelMaps;
    else if (cpumode === CpuMode.USER) maps = thread.maps;
    else return undefined; // hypervisor and guest addresses: perf has no map for them
    let map = maps.find(addr);
    if (!map && cpumode === CpuMode.USER && this.isKernelIp(addr)) map = this.kernelMaps.find(addr);
    if (!map) return undefined;
    return { map, addr: mapIp(map, addr) };
  }

  /** Feeds the side-band records perf's tool callbacks process (see isSideBand). */
  process(r: MmapRecord | CommRecord | TaskRecord): void {
    this.generation++;
    switch (r.type) {
      case RecordType.MMAP:
      case RecordType.MMAP2:
        this.processMmap(r);
        return;
      case RecordType.COMM:
        this.processComm(r, r.sid.time);
        return;
      case RecordType.FORK:
        this.processFork(r, r.sid.hasTime ? r.sid.time : r.time);
        return;
      case RecordType.EXIT:
        this.processExit(r);
        return;
    }
  }
}

/** `/lib/modules/6.1/kernel/fs/ext4/ext4.ko` → `[ext4]`, as perf names module DSOs. */
export function moduleShortName(path: string): string {
  if (path.startsWith('[')) return path;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const mod = base.replace(/\.ko(\.(gz|xz|zst))?$/, '').replace(/-/g, '_');
  return `[${mod}]`;
}

/** The records the process model follows: mmaps, comms, forks and exits. */
export function isSideBand(r: KernelRecord): r is MmapRecord | CommRecord | TaskRecord {
  switch (r.type) {
    case RecordType.MMAP:
    case RecordType.MMAP2:
    case RecordType.COMM:
    case RecordType.FORK:
    case RecordType.EXIT:
      return true;
    default:
      return false;
  }
}
