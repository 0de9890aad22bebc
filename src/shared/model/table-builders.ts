import type {
  FrameTable,
  FuncKind,
  FuncTable,
  IndexIntoFrameTable,
  IndexIntoFuncTable,
  IndexIntoLibTable,
  IndexIntoStackTable,
  IndexIntoStringTable,
  LibKind,
  LibTable,
  StackTable,
} from './tables';

/**
 * One builder per table, as samply's stack table and the Firefox Profiler's builders do: each
 * `intern()`s rows (a row that exists is found, not added again) and `finish()`es into the frozen
 * table. Every column is its own typed-array field written at its own site, so each store stays
 * monomorphic: a generic growable column shared by several element kinds once cost 40 % of the
 * load time (commit a87d406).
 */

/** The profile's string table. */
export class StringTableBuilder {
  readonly strings: string[] = [];
  private readonly index = new Map<string, IndexIntoStringTable>();

  intern(s: string): IndexIntoStringTable {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** The capacity after `length` rows when a column is full: double it. */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(
  column: T,
  length: number,
): T {
  const next = new (column.constructor as { new (n: number): T })(2 * Math.max(8, length));
  next.set(column as never);
  return next;
}

/** Libraries, by a caller's key (the session uses its DSO ids). */
export class LibTableBuilder {
  length = 0;
  private name = new Int32Array(64);
  private path = new Int32Array(64);
  private buildId = new Int32Array(64);
  private kind = new Uint8Array(64);
  private unresolved = new Uint8Array(64);
  private readonly byKey = new Map<number, IndexIntoLibTable>();

  constructor(private readonly strings: StringTableBuilder) {}

  /** The library of `key`, or -1 when none was interned. */
  find(key: number): IndexIntoLibTable {
    return this.byKey.get(key) ?? -1;
  }

  /** The library of `key`, added with these fields when it is new. */
  intern(
    key: number,
    name: string,
    path: string,
    buildId: string | undefined,
    kind: LibKind,
  ): IndexIntoLibTable {
    let l = this.byKey.get(key);
    if (l === undefined) {
      l = this.length;
      if (l === this.name.length) {
        this.name = grown(this.name, l);
        this.path = grown(this.path, l);
        this.buildId = grown(this.buildId, l);
        this.kind = grown(this.kind, l);
        this.unresolved = grown(this.unresolved, l);
      }
      this.name[l] = this.strings.intern(name);
      this.path[l] = this.strings.intern(path);
      this.buildId[l] = buildId ? this.strings.intern(buildId) : -1;
      this.kind[l] = kind;
      this.length = l + 1;
      this.byKey.set(key, l);
    }
    return l;
  }

  /** No symbols were found for the library (known only once the load is over). */
  markUnresolved(lib: IndexIntoLibTable): void {
    this.unresolved[lib] = 1;
  }

  finish(): LibTable {
    const n = this.length;
    return {
      length: n,
      name: this.name.slice(0, n),
      path: this.path.slice(0, n),
      buildId: this.buildId.slice(0, n),
      kind: this.kind.slice(0, n),
      unresolved: this.unresolved.slice(0, n),
    };
  }
}

/** Functions: one per (library, kind, name). */
export class FuncTableBuilder {
  length = 0;
  private name = new Int32Array(1024);
  private lib = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  private unresolved = new Uint8Array(1024);
  private readonly byKey = new Map<string, IndexIntoFuncTable>();

  constructor(private readonly strings: StringTableBuilder) {}

  intern(
    name: string,
    lib: IndexIntoLibTable | -1,
    kind: FuncKind,
    unresolved: boolean,
  ): IndexIntoFuncTable {
    const key = `${lib}\u0000${kind}\u0000${name}`;
    let f = this.byKey.get(key);
    if (f === undefined) {
      f = this.length;
      if (f === this.name.length) {
        this.name = grown(this.name, f);
        this.lib = grown(this.lib, f);
        this.kind = grown(this.kind, f);
        this.unresolved = grown(this.unresolved, f);
      }
      this.name[f] = this.strings.intern(name);
      this.lib[f] = lib;
      this.kind[f] = kind;
      this.unresolved[f] = unresolved ? 1 : 0;
      this.length = f + 1;
      this.byKey.set(key, f);
    }
    return f;
  }

  finish(): FuncTable {
    const n = this.length;
    return {
      length: n,
      name: this.name.slice(0, n),
      lib: this.lib.slice(0, n),
      kind: this.kind.slice(0, n),
      unresolved: this.unresolved.slice(0, n),
    };
  }
}

/**
 * Frames: one per address of an address space (a library, or the addresses of a CPU mode that
 * fell in no mapping), or per key for frames an address does not name alone (inline functions,
 * the workstation's synthetic frames).
 */
export class FrameTableBuilder {
  length = 0;
  private func = new Int32Array(1024);
  private address = new Float64Array(1024);
  private symbolOffset = new Float64Array(1024);
  /** address space -> address -> frame */
  private readonly byAddress = new Map<number, Map<number, IndexIntoFrameTable>>();
  private readonly byKey = new Map<string, IndexIntoFrameTable>();

  /** The frame at an address of an address space, or -1. */
  find(space: number, address: number): IndexIntoFrameTable {
    return this.byAddress.get(space)?.get(address) ?? -1;
  }

  /** The frame at an address of an address space, added when new. */
  intern(
    space: number,
    address: number,
    func: IndexIntoFuncTable,
    symbolOffset: number,
  ): IndexIntoFrameTable {
    let byAddr = this.byAddress.get(space);
    if (!byAddr) this.byAddress.set(space, (byAddr = new Map()));
    let frame = byAddr.get(address);
    if (frame === undefined) {
      frame = this.add(func, address, symbolOffset);
      byAddr.set(address, frame);
    }
    return frame;
  }

  /** The frame named by `key`, or -1. */
  findKeyed(key: string): IndexIntoFrameTable {
    return this.byKey.get(key) ?? -1;
  }

  /** The frame named by `key`, added when new. */
  internKeyed(
    key: string,
    func: IndexIntoFuncTable,
    address: number,
    symbolOffset: number,
  ): IndexIntoFrameTable {
    let frame = this.byKey.get(key);
    if (frame === undefined) {
      frame = this.add(func, address, symbolOffset);
      this.byKey.set(key, frame);
    }
    return frame;
  }

  private add(func: IndexIntoFuncTable, address: number, symbolOffset: number): number {
    const i = this.length;
    if (i === this.func.length) {
      this.func = grown(this.func, i);
      this.address = grown(this.address, i);
      this.symbolOffset = grown(this.symbolOffset, i);
    }
    this.func[i] = func;
    this.address[i] = address;
    this.symbolOffset[i] = symbolOffset;
    this.length = i + 1;
    return i;
  }

  finish(): FrameTable {
    const n = this.length;
    return {
      length: n,
      func: this.func.slice(0, n),
      address: this.address.slice(0, n),
      symbolOffset: this.symbolOffset.slice(0, n),
    };
  }
}

/**
 * Prefix-encoded stacks: one per (prefix, frame). Also builds stacks of other items than frames
 * (the queries' stacks of functions): the table's `frame` column then holds those items.
 */
export class StackTableBuilder {
  length = 0;
  private frame = new Int32Array(1024);
  private prefix = new Int32Array(1024);
  private depth = new Int32Array(1024);
  /**
   * Rows by a hash of (prefix, frame): open addressing (linear probing), -1 where empty, compared
   * on the table's own columns. A Map keyed by pair numbers above 2^31 (boxed doubles) cost ~250
   * ns a lookup on the load's path and 40 bytes a row; a Map per parent, for the queries'
   * function stacks, built them in 1.4 ms where this takes 1.0 (32 k stacks).
   */
  private slots = new Int32Array(2048).fill(-1);

  /** The stack `frame` called from `prefix` (-1: a root), or -1; also after finish(). */
  find(prefix: IndexIntoStackTable | -1, frame: IndexIntoFrameTable): IndexIntoStackTable | -1 {
    return this.slots[this.slotOf(prefix, frame)]!;
  }

  /** The stack `frame` called from `prefix` (-1: a root), added when new. */
  intern(prefix: IndexIntoStackTable | -1, frame: IndexIntoFrameTable): IndexIntoStackTable {
    const at = this.slotOf(prefix, frame);
    const known = this.slots[at]!;
    if (known >= 0) return known;
    const s = this.add(prefix, frame);
    this.slots[at] = s;
    if (2 * this.length > this.slots.length) this.rehash();
    return s;
  }

  /** Appends the row (prefix, frame). */
  private add(prefix: IndexIntoStackTable | -1, frame: IndexIntoFrameTable): IndexIntoStackTable {
    const s = this.length;
    if (s === this.frame.length) {
      this.frame = grown(this.frame, s);
      this.prefix = grown(this.prefix, s);
      this.depth = grown(this.depth, s);
    }
    this.frame[s] = frame;
    this.prefix[s] = prefix;
    this.depth[s] = prefix === -1 ? 0 : this.depth[prefix]! + 1;
    this.length = s + 1;
    return s;
  }

  /** The slot of row (prefix, frame), or the empty slot where it would go. */
  private slotOf(prefix: number, frame: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = Math.imul(prefix + 1, 0x9e3779b1) ^ frame;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const row = slots[at]!;
      if (row < 0 || (this.prefix[row] === prefix && this.frame[row] === frame)) return at;
    }
  }

  /** Twice the slots, every row placed again (at most half full, so probes stay short). */
  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length).fill(-1);
    for (let row = 0; row < this.length; row++)
      this.slots[this.slotOf(this.prefix[row]!, this.frame[row]!)] = row;
  }

  finish(): StackTable {
    const n = this.length;
    return {
      length: n,
      frame: this.frame.slice(0, n),
      prefix: this.prefix.slice(0, n),
      depth: this.depth.slice(0, n),
    };
  }
}
