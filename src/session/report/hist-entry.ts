import type { CommEntry, Thread } from '../machine/machine';
import type { Dso, MapEntry } from '../machine/maps';
import type { CallchainRoot } from './callchain-tree';
import type { U64 } from './u64-order';

/**
 * A symbol as perf's histogram sees it. One object per DSO and start (see SymbolRefs), so object
 * identity is perf's `struct symbol *` identity.
 */
export interface SymRef {
  readonly name: string;
  /** Start in the DSO's address space (perf's sym->start). */
  readonly start: U64;
  readonly dso: Dso;
  /** A frame of an inlined function (from DWARF unwinding): printed "name (inlined)". */
  readonly inlined?: boolean;
}

/** The name as perf prints a symbol in tables and call graphs. */
export function symbolName(sym: SymRef): string {
  return sym.inlined ? `${sym.name} (inlined)` : sym.name;
}

/** perf's hist filter bits (HIST_FILTER__*) that this report sets. */
export const Filter = {
  DSO: 1 << 0,
  THREAD: 1 << 1,
  SYMBOL: 1 << 3,
  GUEST: 1 << 4,
} as const;

/**
 * What one sample or one callchain entry adds to a histogram: perf's addr_location as
 * `__hists__add_entry` copies it into a hist entry.
 */
export interface EntryKey {
  /** The thread at sample time (perf keeps the pointer; widths use its final comm). */
  readonly thread: Thread;
  /**
   * The thread's comm when the sample was processed: perf keeps the comm object, which its
   * first COMM overrides in place (comm__override), so entries made under ":TID" take the name.
   */
  readonly comm: CommEntry;
  /** The sample's CPU (-1 without PERF_SAMPLE_CPU), perf's al->cpu. */
  readonly cpu: number;
  /** Updated when a later sample's map differs (an exec replaced it), as perf does. */
  map: MapEntry | undefined;
  readonly sym: SymRef | undefined;
  /**
   * The address: DSO-relative for the sample's own location (map__map_ip), the raw callchain
   * address for callchain entries, the raw ip when there is no map.
   */
  readonly ip: U64;
  /** '.', 'k' or 'H' (perf's al->level), printed as `[.]`. */
  readonly level: string;
  /** The tracepoint payload as libtraceevent prints it (the `trace` sort key), when needed. */
  readonly trace: string | undefined;
  /** HIST_FILTER__* bits: a filtered entry counts in totals but is never printed. */
  readonly filtered: number;
}

export interface HistEntry extends EntryKey {
  /** Self period (perf's he->stat.period). */
  period: number;
  /** Period including callees (perf's he->stat_acc->period), with --children. */
  accPeriod: number;
  /** Samples whose own location this is (perf's he->stat.nr_events: the -n column). */
  nrEvents: number;
  /** The callchains of the samples that made this entry, when call graphs are shown. */
  readonly callchain: CallchainRoot | undefined;
  /**
   * Event group view: the group members' equal entries by position in the group (perf's
   * he->pairs; index 0, the leader, unused).
   */
  pairs?: (HistEntry | undefined)[];
  /** Made for a member's entry that the leader did not have (hists__add_dummy_entry). */
  dummy?: boolean;
}

/**
 * A new entry with `key`'s fields and no periods, written out field by field: entries spread from
 * their keys each got a hidden class of its own (hundreds of bytes an entry, for a report of
 * many entries).
 */
export function newHistEntry(key: EntryKey, callchain: CallchainRoot | undefined): HistEntry {
  return {
    thread: key.thread,
    comm: key.comm,
    cpu: key.cpu,
    map: key.map,
    sym: key.sym,
    ip: key.ip,
    level: key.level,
    trace: key.trace,
    filtered: key.filtered,
    period: 0,
    accPeriod: 0,
    nrEvents: 0,
    callchain,
    pairs: undefined,
    dummy: false,
  };
}

const shortNames = new WeakMap<Dso, { name: string; short: string }>();

/**
 * The DSO's short name as `Shared Object` prints it (perf's dso->short_name). Kept per DSO: the
 * report's comparisons ask for it at every step of their tree walks.
 */
export function dsoShortName(dso: Dso): string {
  const name = dso.name;
  const known = shortNames.get(dso);
  if (known?.name === name) return known.short;
  const slash = name.lastIndexOf('/');
  const short = slash < 0 ? name : name.slice(slash + 1);
  shortNames.set(dso, { name, short });
  return short;
}
