import { hasFlag, type EventAttr } from './attr';
import { AttrType, SampleType } from './constants';
import { plainSampleLayout, type PlainSampleLayout } from './sample';

/** One event of the recording (perf's evsel): its attr, the kernel ids of its fds, its name. */
export interface EventDesc {
  /** Position in the recording's event list (attr order). */
  readonly index: number;
  readonly attr: EventAttr;
  readonly ids: number[];
  /** Name from HEADER_EVENT_DESC / EVENT_UPDATE, or derived from the attr as perf does. */
  name: string;
  /** True when `name` came from the file rather than from `defaultEventName`. */
  named: boolean;
  /** Byte size of this event's sample_id trailer on non-sample records. */
  readonly idTrailerSize: number;
  /** attr.defer_callchain: its samples' user stacks may come in CALLCHAIN_DEFERRED records. */
  readonly deferCallchain: boolean;
  /** Where its samples' fields lie, when all are at fixed places (parseSample's fast path). */
  readonly plainSample?: PlainSampleLayout;
}

/**
 * The recording's events, and how to find the event a record belongs to
 * (perf's evlist__event2evsel: by the ID or IDENTIFIER field at a fixed position).
 */
export class EventList {
  readonly events: EventDesc[] = [];
  private readonly byId = new Map<number, EventDesc>();
  /** u64 slot of the ID in a SAMPLE record body, or -1 (perf's evlist->id_pos). */
  idPos = -1;
  /** u64 slot of the ID counted from the end of other records, or -1 (perf's is_pos). */
  isPos = -1;

  add(attr: EventAttr, ids: number[], name?: string): EventDesc {
    const event: EventDesc = {
      index: this.events.length,
      attr,
      ids: [...ids],
      name: name ?? defaultEventName(attr),
      named: name !== undefined,
      idTrailerSize: sampleIdTrailerSize(attr),
      deferCallchain: hasFlag(attr, 'defer_callchain'),
      plainSample: plainSampleLayout(attr),
    };
    this.events.push(event);
    for (const id of ids) this.byId.set(id, event);
    if (this.events.length === 1) {
      this.idPos = sampleIdPos(attr.sampleType);
      this.isPos = trailerIdPos(attr.sampleType);
    }
    return event;
  }

  addIds(event: EventDesc, ids: number[]): void {
    for (const id of ids) {
      event.ids.push(id);
      this.byId.set(id, event);
    }
  }

  get first(): EventDesc | undefined {
    return this.events[0];
  }

  byIdOrUndefined(id: number): EventDesc | undefined {
    return this.byId.get(id);
  }

  /** The event whose kernel id is `id`; id 0 (synthesized records) means the first event. */
  forId(id: number): EventDesc | undefined {
    if (this.events.length === 1) return this.events[0];
    if (id === 0) return this.events[0];
    return this.byId.get(id);
  }

  /** Width perf script uses for the event name column (evlist__max_name_len). */
  maxNameLength(): number {
    let n = 0;
    for (const e of this.events) n = Math.max(n, e.name.length);
    return n;
  }

  /** Union of every event's sample_type (evlist__combined_sample_type). */
  combinedSampleType(): number {
    let t = 0;
    for (const e of this.events) t |= e.attr.sampleType;
    return t;
  }
}

/** Position of ID in a sample body in u64 slots (perf's __evsel__calc_id_pos). */
export function sampleIdPos(sampleType: number): number {
  if (sampleType & SampleType.IDENTIFIER) return 0;
  if (!(sampleType & SampleType.ID)) return -1;
  let idx = 0;
  if (sampleType & SampleType.IP) idx++;
  if (sampleType & SampleType.TID) idx++;
  if (sampleType & SampleType.TIME) idx++;
  if (sampleType & SampleType.ADDR) idx++;
  return idx;
}

/** Position of ID counted back from the end of a non-sample record (perf's __evsel__calc_is_pos). */
export function trailerIdPos(sampleType: number): number {
  if (sampleType & SampleType.IDENTIFIER) return 1;
  if (!(sampleType & SampleType.ID)) return -1;
  let idx = 1;
  if (sampleType & SampleType.CPU) idx++;
  if (sampleType & SampleType.STREAM_ID) idx++;
  return idx;
}

/** Size of the sample_id trailer: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER, 8 bytes each. */
export function sampleIdTrailerSize(attr: EventAttr): number {
  if (!hasFlag(attr, 'sample_id_all')) return 0;
  const t = attr.sampleType;
  let n = 0;
  for (const bit of [
    SampleType.TID,
    SampleType.TIME,
    SampleType.ID,
    SampleType.STREAM_ID,
    SampleType.CPU,
    SampleType.IDENTIFIER,
  ]) {
    if (t & bit) n += 8;
  }
  return n;
}

const HARDWARE_NAMES = [
  'cycles',
  'instructions',
  'cache-references',
  'cache-misses',
  'branches',
  'branch-misses',
  'bus-cycles',
  'stalled-cycles-frontend',
  'stalled-cycles-backend',
  'ref-cycles',
];
const SOFTWARE_NAMES = [
  'cpu-clock',
  'task-clock',
  'page-faults',
  'context-switches',
  'cpu-migrations',
  'minor-faults',
  'major-faults',
  'alignment-faults',
  'emulation-faults',
  'dummy',
  'bpf-output',
  'cgroup-switches',
];
const CACHE_NAMES = ['L1-dcache', 'L1-icache', 'LLC', 'dTLB', 'iTLB', 'branch', 'node'];
const CACHE_OPS = ['load', 'store', 'prefetch'];
const CACHE_RESULTS = ['refs', 'misses'];

/**
 * The name perf gives an event that the file does not name (evsel__name): the generic
 * hardware/software names, `raw 0x...`, plus the `:u`/`:k`/`:p` modifiers.
 */
export function defaultEventName(attr: EventAttr): string {
  const config = Number(attr.config & 0xffffffffn);
  let base: string;
  switch (attr.type) {
    case AttrType.HARDWARE:
      base = HARDWARE_NAMES[config] ?? `unknown-hardware`;
      break;
    case AttrType.SOFTWARE:
      base = SOFTWARE_NAMES[config] ?? `unknown-software`;
      break;
    case AttrType.TRACEPOINT:
      base = `unknown:unknown`;
      break;
    case AttrType.HW_CACHE: {
      const cache = CACHE_NAMES[config & 0xff];
      const op = CACHE_OPS[(config >> 8) & 0xff];
      const result = CACHE_RESULTS[(config >> 16) & 0xff];
      base =
        cache && op && result
          ? `${cache}-${op === 'load' ? 'loads' : op === 'store' ? 'stores' : 'prefetches'}${result === 'misses' ? '-misses' : ''}`
          : 'unknown-ext-hardware-cache-type';
      break;
    }
    case AttrType.RAW:
      base = `raw 0x${attr.config.toString(16)}`;
      break;
    case AttrType.BREAKPOINT:
      base = `mem:0x${attr.config1.toString(16)}`;
      break;
    default:
      base = `unknown attr type: ${attr.type}`;
  }
  return base + modifiers(attr);
}

function modifiers(attr: EventAttr): string {
  const eu = hasFlag(attr, 'exclude_user');
  const ek = hasFlag(attr, 'exclude_kernel');
  const eh = hasFlag(attr, 'exclude_hv');
  let mod = '';
  if (eu || ek || eh) {
    if (!eu) mod += 'u';
    if (!ek) mod += 'k';
    if (!eh) mod += 'h';
  }
  mod += 'p'.repeat(attr.preciseIp);
  return mod ? `:${mod}` : '';
}
