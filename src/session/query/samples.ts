import type {
  CallchainFrame,
  MergeStatusFilter,
  SamplePage,
  SamplePageQuery,
  SampleRow,
} from '../../shared/contract';
import { SessionError } from '../../shared/contract/errors';
import {
  isUnmerged,
  MergeStatus,
  type IndexIntoStackTable,
  type Profile,
} from '../../shared/model';
import { getOrInsertComputed } from '../get-or-insert';
import { hexFromHalves, hexFromSigned } from '../perf-data/u64';
import { resolveFilters, sampleRange, stacksOf, type ResolvedFilters } from './filters';
import { DROPPED, type FuncStackTable } from './func-stacks';
import { funcAddressIsLibRelative, funcKind, funcLib, funcName } from './func-info';

const MAX_PAGE = 5000;

/** Indexes of a thread's samples of one event inside [first, last) (cached per thread/event). */
const eventIndexCache = new WeakMap<Uint16Array, Map<number, Uint32Array>>();
function indexesOfEvent(events: Uint16Array, event: number): Uint32Array {
  let perEvent = eventIndexCache.get(events);
  if (!perEvent) eventIndexCache.set(events, (perEvent = new Map()));
  let idx = perEvent.get(event);
  if (!idx) {
    let n = 0;
    for (let i = 0; i < events.length; i++) if (events[i] === event) n++;
    idx = new Uint32Array(n);
    for (let i = 0, k = 0; i < events.length; i++) if (events[i] === event) idx[k++] = i;
    perEvent.set(event, idx);
  }
  return idx;
}

/** Indexes of a thread's samples of one event that the transforms keep (cached per table). */
const keptCache = new WeakMap<FuncStackTable, WeakMap<Int32Array, Map<number, Uint32Array>>>();
function keptOfEvent(
  table: FuncStackTable,
  stacks: Int32Array,
  events: Uint16Array,
  event: number,
): Uint32Array {
  let perTable = keptCache.get(table);
  if (!perTable) keptCache.set(table, (perTable = new WeakMap()));
  let perEvent = perTable.get(stacks);
  if (!perEvent) perTable.set(stacks, (perEvent = new Map()));
  let idx = perEvent.get(event);
  if (!idx) {
    const all = indexesOfEvent(events, event);
    const kept: number[] = [];
    for (const i of all) {
      const st = stacks[i]!;
      if (st < 0 || table.ofStack[st] !== DROPPED) kept.push(i);
    }
    idx = Uint32Array.from(kept);
    perEvent.set(event, idx);
  }
  return idx;
}

function hasMergeStatus(status: number, wanted: MergeStatusFilter): boolean {
  switch (wanted) {
    case 'classic':
      return status === MergeStatus.CLASSIC;
    case 'merged':
      return status === MergeStatus.MERGED;
    case 'unmerged':
      return isUnmerged(status);
    default: {
      const never: never = wanted;
      return never;
    }
  }
}

/** Those of `indexes` whose sample merged as `wanted` (cached per index list). */
const statusCache = new WeakMap<Uint32Array, Map<MergeStatusFilter, Uint32Array>>();
function withMergeStatus(
  indexes: Uint32Array,
  status: Uint8Array,
  wanted: MergeStatusFilter,
): Uint32Array {
  const perStatus = getOrInsertComputed(statusCache, indexes, () => new Map());
  return getOrInsertComputed(perStatus, wanted, () =>
    indexes.filter((i) => hasMergeStatus(status[i]!, wanted)),
  );
}

/**
 * The samples of a thread the sample list shows under the filters (its event, kept by the
 * transforms, on the filters' CPUs), as sample indexes `all[from..to)` inside the time range.
 */
export function listedSamples(
  profile: Profile,
  f: ResolvedFilters,
  thread: number,
  mergeStatus?: MergeStatusFilter,
): { all: Uint32Array; from: number; to: number } {
  const s = profile.threads[thread]!.samples;
  const [first, last] = sampleRange(s.time, f.start, f.end);
  const stacks = f.merge ? s.stack : s.rawStack;
  const table = stacksOf(profile, f);
  const ofEvent = table.drops
    ? keptOfEvent(table, stacks, s.event, f.event)
    : indexesOfEvent(s.event, f.event);
  const onCpu = f.cpus ? onCpus(ofEvent, s.cpu, f.cpus) : ofEvent;
  const all = mergeStatus ? withMergeStatus(onCpu, s.status, mergeStatus) : onCpu;
  return { all, from: indexAtLeast(all, first), to: indexAtLeast(all, last) };
}

/** The indexes of `list` whose sample ran on one of `cpus` (the last few lists cached). */
const cpuCache = new WeakMap<Uint32Array, Map<string, Uint32Array>>();
function onCpus(list: Uint32Array, cpu: Int32Array, cpus: Set<number>): Uint32Array {
  const key = [...cpus].join(',');
  let perList = cpuCache.get(list);
  if (!perList) cpuCache.set(list, (perList = new Map()));
  let kept = perList.get(key);
  if (!kept) {
    kept = list.filter((i) => cpus.has(cpu[i]!));
    perList.set(key, kept);
    if (perList.size > 4) perList.delete(perList.keys().next().value!);
  }
  return kept;
}

/** First position in sorted `list` whose value is >= v. */
function indexAtLeast(list: Uint32Array, v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (list[m]! < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * A thread's samples in time order, a page at a time: those a transform drops are left out, the
 * others listed as recorded (their callchains untransformed).
 */
export function samplePage(profile: Profile, q: SamplePageQuery): SamplePage {
  const f = resolveFilters(profile, { ...q.filters, threads: [q.thread] });
  const th = profile.threads[q.thread]!;
  const s = th.samples;
  const stacks = f.merge ? s.stack : s.rawStack;
  const { all, from, to } = listedSamples(profile, f, q.thread, q.mergeStatus);
  const total = to - from;
  const offset = Math.max(0, Math.min(q.offset, total));
  const limit = Math.max(0, Math.min(q.limit, MAX_PAGE, total - offset));
  const rows: SampleRow[] = [];
  for (let k = 0; k < limit; k++) {
    const i = all[from + offset + k]!;
    const stack = stacks[i]!;
    const func = stack >= 0 ? profile.frames.func[profile.stacks.frame[stack]!]! : -1;
    rows.push({
      index: i,
      time: s.time[i]!,
      cpu: s.cpu[i]!,
      event: s.event[i]!,
      period: s.period[i]!,
      status: s.status[i]! as MergeStatus,
      leaf: func >= 0 ? funcName(profile, func) : '',
      leafLib: func >= 0 ? funcLib(profile, func) : '',
      stack,
    });
  }
  const page: SamplePage = { total, offset, rows };
  if (!f.merge) {
    const d = th.deferredRecords;
    const [a, b] = sampleRange(d.time, f.start, f.end);
    page.deferredRecords = [];
    for (let i = a; i < b && page.deferredRecords.length < MAX_PAGE; i++) {
      page.deferredRecords.push({
        time: d.time[i]!,
        cookie: hexFromHalves(d.cookieLo[i]!, d.cookieHi[i]!),
        stack: d.stack[i]!,
        mergedInto: d.mergedInto[i]!,
      });
    }
  }
  return page;
}

/** The frames of a stack, innermost first (as perf script prints them). */
export function callchain(profile: Profile, stack: IndexIntoStackTable): CallchainFrame[] {
  if (!Number.isInteger(stack) || stack < -1 || stack >= profile.stacks.length) {
    throw new SessionError('bad-request', `no stack ${stack}`);
  }
  const out: CallchainFrame[] = [];
  for (let s = stack; s >= 0; s = profile.stacks.prefix[s]!) {
    const frame = profile.stacks.frame[s]!;
    const func = profile.frames.func[frame]!;
    const addr = profile.frames.address[frame]!;
    out.push({
      func,
      name: funcName(profile, func),
      lib: funcLib(profile, func),
      address: Number.isNaN(addr) ? '' : hexFromSigned(addr),
      libRelative: !Number.isNaN(addr) && funcAddressIsLibRelative(profile, func),
      offset: profile.frames.symbolOffset[frame]!,
      kind: funcKind(profile, func),
      unresolved: profile.funcs.unresolved[func] === 1,
    });
  }
  return out;
}
