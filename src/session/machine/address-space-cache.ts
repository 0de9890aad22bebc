import type { Machine, Thread } from './machine';

interface Entry<T> {
  version: number;
  kernelVersion: number;
  value: T;
}

/**
 * State kept per address space (a thread's maps) that is valid while its maps and the kernel's do
 * not change, such as resolved or printed callchains: a fresh value after either changes.
 */
export class AddressSpaceCache<T> {
  private spaces = new WeakMap<object, Entry<T>>();
  /** The entry used last and whose maps it is for: consecutive samples share them. */
  private lastMaps: object | undefined;
  private last: Entry<T> | undefined;

  constructor(
    private readonly machine: Machine,
    private readonly create: () => T,
  ) {}

  get(thread: Thread): T {
    const maps = thread.maps;
    const kernelVersion = this.machine.kernelMaps.version;
    let entry = this.lastMaps === maps ? this.last : this.spaces.get(maps);
    if (!entry || entry.version !== maps.version || entry.kernelVersion !== kernelVersion) {
      entry = { version: maps.version, kernelVersion, value: this.create() };
      this.spaces.set(maps, entry);
    }
    this.lastMaps = maps;
    this.last = entry;
    return entry.value;
  }

  /** Forgets every value (get() creates new ones). */
  clear(): void {
    this.spaces = new WeakMap();
    this.lastMaps = undefined;
    this.last = undefined;
  }
}
