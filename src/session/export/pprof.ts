import { gzipSync } from 'node:zlib';
import {
  Function as PprofFunction,
  Label,
  Line,
  Location,
  Mapping,
  Profile as PprofProfile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import type { Filters } from '../../shared/contract';
import { LibKind, type Profile } from '../../shared/model';
import { bigFromSigned } from '../perf-data/u64';
import { stackGroups, type StackGroup } from '../query/stack-groups';
import { exportFrameName, keepsFunc, weightUnit } from './frame-names';

/** Where an export's samples come from: the filters and transforms of the views. */
export interface ExportOptions {
  filters: Filters;
}

/**
 * A gzipped pprof profile (profile.proto, encoded by pprof-format) of the filtered samples of one
 * event: sample types `samples/count` and the event's weight (`cpu/nanoseconds` for cpu-clock
 * and task-clock, `events/count` otherwise; the default), one sample per distinct (stack,
 * thread, comm) with labels thread, tid, pid and comm, one mapping per library, one location per
 * address (an inlined call's functions are the lines of its address's location, innermost
 * first, as pprof expects) and one function per name and library.
 */
export function pprofProfile(profile: Profile, options: ExportOptions): Uint8Array {
  const { filters, stacks, groups, transformed } = stackGroups(profile, options.filters);
  const event = profile.events[filters.event];
  const unit = weightUnit(event);
  const strings = new StringTable();
  const str = (s: string) => strings.dedup(s);

  const functions: PprofFunction[] = [];
  const functionIds = new Map<number, number>();
  const functionOf = (func: number): number => {
    let id = functionIds.get(func);
    if (id === undefined) {
      id = functions.length + 1;
      const name = str(exportFrameName(profile, func));
      const lib = profile.funcs.lib[func] ?? -1;
      // the library stands in for the source file, which the model does not keep
      const filename = lib >= 0 ? str(profile.strings[profile.libs.path[lib]!]!) : 0;
      functions.push(new PprofFunction({ id, name, systemName: name, filename }));
      functionIds.set(func, id);
    }
    return id;
  };

  // one mapping per library, spanning the addresses its frames hold
  const libRange = new Map<number, { low: bigint; high: bigint }>();
  const mappingOf = (lib: number, address: bigint): number => {
    const r = libRange.get(lib);
    if (!r) libRange.set(lib, { low: address, high: address });
    else if (address < r.low) r.low = address;
    else if (address > r.high) r.high = address;
    return lib + 1;
  };

  const locations: Location[] = [];
  const locationIds = new Map<string, number>();
  /** The location of a frame and the inlined frames in it (innermost first). */
  const locationOf = (funcs: number[], frame: number): number => {
    const key = `${frame}:${funcs.join(',')}`;
    let id = locationIds.get(key);
    if (id === undefined) {
      id = locations.length + 1;
      const lib = frame >= 0 ? profile.funcs.lib[profile.frames.func[frame]!]! : -1;
      const raw = frame >= 0 ? profile.frames.address[frame]! : NaN;
      const address = Number.isNaN(raw) ? 0n : bigFromSigned(raw);
      const mappingId = lib >= 0 && address !== 0n ? mappingOf(lib, address) : 0;
      const line = funcs.map((f) => new Line({ functionId: functionOf(f) }));
      locations.push(new Location({ id, mappingId, address, line }));
      locationIds.set(key, id);
    }
    return id;
  };

  /** Location ids of a stack node, leaf first; a frame's inlined callees share its location. */
  const locationsOfNode = (node: number): number[] => {
    const ids: number[] = [];
    let pending: number[] = [];
    let pendingFrame = -1;
    const flush = () => {
      if (pending.length) ids.push(locationOf(pending, pendingFrame));
      pending = [];
    };
    for (let n = node; n >= 0; n = stacks.prefix(n)) {
      const func = stacks.func(n);
      if (!keepsFunc(profile, func, filters.frames, transformed)) continue;
      const frame = stacks.frame(n);
      if (pending.length && !sameAddress(profile, pendingFrame, frame, func)) flush();
      if (!pending.length) pendingFrame = frame;
      pending.push(func);
    }
    flush();
    return ids;
  };

  const sampleType = [
    new ValueType({ type: str('samples'), unit: str('count') }),
    new ValueType({ type: str(unit.type), unit: str(unit.unit) }),
  ];
  const threadKey = str('thread');
  const tidKey = str('tid');
  const pidKey = str('pid');
  const commKey = str('comm');
  const samples: Sample[] = [];
  const byNode = new Map<number, number[]>();
  let count = 0;
  let weight = 0;
  for (const g of groups) {
    const th = profile.threads[g.thread]!;
    const label = [
      new Label({ key: threadKey, str: str(th.name) }),
      new Label({ key: tidKey, num: th.tid }),
      new Label({ key: pidKey, num: th.pid }),
      new Label({ key: commKey, str: str(g.comm) }),
    ];
    for (let j = 0; j < g.nodes.length; j++) {
      const node = g.nodes[j]!;
      let locationId = byNode.get(node);
      if (!locationId) byNode.set(node, (locationId = locationsOfNode(node)));
      samples.push(new Sample({ locationId, value: [g.counts[j]!, g.weights[j]!], label }));
      count += g.counts[j]!;
      weight += g.weights[j]!;
    }
  }

  const mapping = [...libRange].map(
    ([lib, { low, high }]) =>
      new Mapping({
        id: lib + 1,
        // frame addresses are what perf's map_ip gives (the library's own addresses; the
        // kernel's are absolute): the mapping spans them and maps them to themselves
        memoryStart: low,
        memoryLimit: high + 1n,
        fileOffset: low,
        filename: str(profile.strings[profile.libs.path[lib]!]!),
        buildId:
          profile.libs.buildId[lib]! >= 0 ? str(profile.strings[profile.libs.buildId[lib]!]!) : 0,
        hasFunctions: true,
        hasInlineFrames: true,
      }),
  );
  // pprof takes the first mapping for the main binary: the executable of the heaviest process
  const main = mainLibrary(profile, groups);
  mapping.sort((a, b) => rank(a) - rank(b));
  function rank(m: Mapping): number {
    return Number(m.id) === main + 1 ? -1 : Number(m.id);
  }

  const range = filteredDuration(profile, filters.start, filters.end);
  const pprof = new PprofProfile({
    sampleType,
    sample: samples,
    mapping,
    location: locations,
    function: functions,
    stringTable: strings,
    durationNanos: Math.round(range),
    periodType: new ValueType({ type: str(unit.type), unit: str(unit.unit) }),
    // perf keeps no period per event in the model: the mean period of the exported samples
    period: count > 0 ? Math.round(weight / count) : 0,
    defaultSampleType: str(unit.type),
    comment: [str(`perfws export of ${profile.meta.path}, event ${event?.name ?? '?'}`)],
  });
  return gzipSync(pprof.encode());
}

/** True when `frame` (of `func`) is the same address in the same library as `pending`'s. */
function sameAddress(profile: Profile, pending: number, frame: number, func: number): boolean {
  if (pending < 0 || frame < 0) return false;
  const { address } = profile.frames;
  if (address[pending] !== address[frame]) return false;
  const pendingFunc = profile.frames.func[pending]!;
  return pendingFunc !== func && profile.funcs.lib[pendingFunc] === profile.funcs.lib[func];
}

/**
 * The library named as the process of the heaviest exported group (comms are the first 15
 * bytes of the executable's name), -1 when none is.
 */
function mainLibrary(profile: Profile, groups: readonly StackGroup[]): number {
  const weights = new Map<string, number>();
  for (const g of groups) {
    const name = profile.threads[g.thread]!.processName;
    let w = weights.get(name) ?? 0;
    for (let j = 0; j < g.weights.length; j++) w += g.weights[j]!;
    weights.set(name, w);
  }
  const heaviest = [...weights].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!heaviest) return -1;
  const { libs, strings } = profile;
  for (let lib = 0; lib < libs.length; lib++) {
    if (libs.kind[lib] === LibKind.FILE && strings[libs.name[lib]!]!.startsWith(heaviest)) {
      return lib;
    }
  }
  return -1;
}

/** The length of the exported time range: the recording's, cut to the filters' range. */
function filteredDuration(profile: Profile, start: number, end: number): number {
  const from = Math.max(start, 0);
  const to = Math.min(end, profile.meta.duration);
  return Math.max(0, to - from);
}
