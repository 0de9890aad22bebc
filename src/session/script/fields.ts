import { AttrType, SampleType } from '../perf-data/constants';
import type { EventDesc, EventList } from '../perf-data/evlist';

/**
 * perf script's output fields (builtin-script.c, PERF_OUTPUT_*), their defaults per event type,
 * and the `-F` syntax: `-F a,b` sets the fields of every type, `-F type:a,b` of one type,
 * `+a` / `-a` add to or remove from the defaults.
 */
export const Field = {
  IP: 1 << 0,
  SYM: 1 << 1,
  DSO: 1 << 2,
  SYMOFFSET: 1 << 3,
  COMM: 1 << 4,
  TID: 1 << 5,
  PID: 1 << 6,
  CPU: 1 << 7,
  TIME: 1 << 8,
  EVNAME: 1 << 9,
  TRACE: 1 << 10,
  ADDR: 1 << 11,
  PERIOD: 1 << 12,
  MISC: 1 << 13,
  SRCLINE: 1 << 14,
  WEIGHT: 1 << 15,
  PHYS_ADDR: 1 << 16,
  DATA_PAGE_SIZE: 1 << 17,
  CODE_PAGE_SIZE: 1 << 18,
  CGROUP: 1 << 19,
  BPF_OUTPUT: 1 << 20,
  DATA_SRC: 1 << 21,
} as const;

/** -F names perf accepts that we print. */
const FIELD_NAMES: Record<string, number> = {
  comm: Field.COMM,
  tid: Field.TID,
  pid: Field.PID,
  time: Field.TIME,
  cpu: Field.CPU,
  event: Field.EVNAME,
  trace: Field.TRACE,
  ip: Field.IP,
  sym: Field.SYM,
  dso: Field.DSO,
  addr: Field.ADDR,
  symoff: Field.SYMOFFSET,
  srcline: Field.SRCLINE,
  period: Field.PERIOD,
  misc: Field.MISC,
  weight: Field.WEIGHT,
  phys_addr: Field.PHYS_ADDR,
  data_page_size: Field.DATA_PAGE_SIZE,
  code_page_size: Field.CODE_PAGE_SIZE,
  cgroup: Field.CGROUP,
  'bpf-output': Field.BPF_OUTPUT,
  data_src: Field.DATA_SRC,
};

/** -F names perf knows that we do not print (yet): refused with a clear message. */
const UNSUPPORTED = new Set([
  'iregs',
  'uregs',
  'brstack',
  'brstacksym',
  'flags',
  'brstackinsn',
  'brstackinsnlen',
  'brstackoff',
  'callindent',
  'insn',
  'insnlen',
  'synth',
  'metric',
  'srccode',
  'ipc',
  'tod',
  'ins_lat',
  'machine_pid',
  'vcpu',
  'retire_lat',
  'brcntr',
  'dsoff',
  'disasm',
]);

/** perf's output types: the attr types up to BREAKPOINT, then "other" (dynamic PMUs). */
export const OutputType = {
  hw: AttrType.HARDWARE,
  sw: AttrType.SOFTWARE,
  trace: AttrType.TRACEPOINT,
  raw: AttrType.RAW,
  break: AttrType.BREAKPOINT,
  other: 7,
} as const;
const OUTPUT_TYPES = 8;

export function outputType(attrType: number): number {
  return attrType <= AttrType.BREAKPOINT ? attrType : OutputType.other;
}

const COMMON = Field.COMM | Field.TID | Field.CPU | Field.TIME | Field.EVNAME;
const HW_DEFAULT = COMMON | Field.IP | Field.SYM | Field.SYMOFFSET | Field.DSO | Field.PERIOD;

function defaults(type: number): number {
  switch (type) {
    case AttrType.SOFTWARE:
      return HW_DEFAULT | Field.BPF_OUTPUT;
    case AttrType.TRACEPOINT:
      return COMMON | Field.TRACE;
    case AttrType.RAW:
      return (
        HW_DEFAULT |
        Field.ADDR |
        Field.DATA_SRC |
        Field.WEIGHT |
        Field.PHYS_ADDR |
        Field.DATA_PAGE_SIZE |
        Field.CODE_PAGE_SIZE
      );
    default:
      return HW_DEFAULT;
  }
}

function invalid(type: number): number {
  if (type === AttrType.TRACEPOINT) return 0;
  if (type === AttrType.SOFTWARE) return Field.TRACE;
  return Field.TRACE | Field.BPF_OUTPUT;
}

interface TypeOutput {
  fields: number;
  userSet: boolean;
  wildcardSet: boolean;
  userSetFields: number;
  userUnsetFields: number;
}

export class ScriptUsageError extends Error {
  override readonly name = 'ScriptUsageError';
}

/** The per-type output configuration of one `perf script` run. */
export class OutputFields {
  private readonly out: TypeOutput[] = Array.from({ length: OUTPUT_TYPES }, (_, t) => ({
    fields: defaults(t),
    userSet: false,
    wildcardSet: false,
    userSetFields: 0,
    userUnsetFields: 0,
  }));
  readonly warnings: string[] = [];

  /** Parses one `-F` argument (perf's parse_output_fields). */
  parse(spec: string): void {
    let typeName: string | undefined;
    let list = spec;
    const colon = spec.indexOf(':');
    if (colon >= 0) {
      typeName = spec.slice(0, colon);
      list = spec.slice(colon + 1);
    }
    let targets: number[];
    if (typeName !== undefined) {
      const t = (OutputType as Record<string, number>)[typeName];
      if (t === undefined)
        throw new ScriptUsageError(`Invalid event type in field string: ${typeName}`);
      targets = [t];
    } else {
      targets = [...Array(OUTPUT_TYPES).keys()].filter(
        (t) => t <= AttrType.BREAKPOINT || t === OutputType.other,
      );
    }
    const tokens = list.split(',').filter((s) => s.length > 0);
    const relative = tokens.length > 0 && /^[+-]/.test(tokens[0]!);
    if (!relative) {
      for (const t of targets) {
        const o = this.out[t]!;
        o.fields = 0;
        o.userSet = true;
        o.wildcardSet = typeName === undefined;
      }
    }
    for (const raw of tokens) {
      const change = raw.startsWith('-') ? 'remove' : 'add';
      const name = raw.replace(/^[+-]/, '');
      const field = FIELD_NAMES[name];
      if (field === undefined) {
        if (UNSUPPORTED.has(name))
          throw new ScriptUsageError(`field '${name}' is not supported by perfws script`);
        throw new ScriptUsageError(`Invalid field requested: ${name}`);
      }
      for (const t of targets) {
        const o = this.out[t]!;
        if (invalid(t) & field) {
          if (typeName !== undefined)
            throw new ScriptUsageError(`'${name}' not valid for ${typeLabel(t)} events.`);
          continue; // perf warns and ignores the field for that type
        }
        if (change === 'remove') {
          o.fields &= ~field;
          o.userSetFields &= ~field;
          o.userUnsetFields |= field;
        } else {
          o.fields |= field;
          o.userSetFields |= field;
          o.userUnsetFields &= ~field;
        }
        o.userSet = true;
        o.wildcardSet = typeName === undefined;
      }
    }
  }

  fields(type: number): number {
    return this.out[type]!.fields;
  }

  /**
   * perf_session__check_output_opt for a file-mode recording: drop default fields the samples do
   * not carry, refuse explicitly requested ones, turn on symbols for tracepoints with callchains.
   */
  checkFileMode(events: EventList): void {
    const seen = new Set<number>();
    for (const e of events.events) {
      const t = outputType(e.attr.type);
      if (t === OutputType.other || seen.has(t)) continue;
      seen.add(t);
      if (this.out[t]!.fields) this.checkAttr(e);
    }
    const useCallchain = events.events.some((e) => e.attr.sampleType & SampleType.CALLCHAIN);
    this.useCallchain = useCallchain;
    const tp = this.out[AttrType.TRACEPOINT]!;
    if (useCallchain && !tp.userSet) {
      if (
        events.events.some(
          (e) => e.attr.type === AttrType.TRACEPOINT && e.attr.sampleType & SampleType.CALLCHAIN,
        )
      ) {
        tp.fields |= Field.IP | Field.SYM | Field.SYMOFFSET | Field.DSO;
      }
    }
  }

  /**
   * Pipe mode: perf's process_attr runs for the first attr of each type as it arrives, and
   * turns on IP and SYM for events with callchains even when `-F` did not ask for them (a perf
   * quirk the pipe-mode oracles show).
   */
  checkPipeAttr(events: EventList, event: EventDesc): void {
    const t = outputType(event.attr.type);
    if (event.attr.type > AttrType.BREAKPOINT) return;
    if (
      events.events.some(
        (e) => e !== event && e.attr.type === event.attr.type && e.index < event.index,
      )
    )
      return;
    if (event.attr.sampleType) this.checkAttr(event);
    const combined = events.events
      .filter((e) => e.index <= event.index)
      .reduce((a, e) => a | e.attr.sampleType, 0);
    if (
      combined & SampleType.CALLCHAIN ||
      combined & SampleType.BRANCH_STACK ||
      (combined & SampleType.REGS_USER && combined & SampleType.STACK_USER)
    ) {
      const o = this.out[t]!;
      if (!(o.userUnsetFields & Field.IP)) o.fields |= Field.IP;
      if (!(o.userUnsetFields & Field.SYM)) o.fields |= Field.SYM;
    }
  }

  /** In pipe mode perf keeps using callchains (it cannot know yet whether samples have them). */
  useCallchain = true;

  /** evsel__check_attr. */
  private checkAttr(e: EventDesc): void {
    const t = outputType(e.attr.type);
    const o = this.out[t]!;
    const st = e.attr.sampleType;
    const check = (bit: number, msg: string, field: number): void => {
      if (!(o.fields & field)) return;
      if (st & bit) return;
      if (o.userSetFields & field) {
        throw new ScriptUsageError(
          `Samples for '${e.name}' event do not have ${msg} attribute set. Cannot print '${fieldLabel(field)}' field.`,
        );
      }
      o.fields &= ~field; // not asked for explicitly: drop it from the defaults
    };
    check(SampleType.IP, 'IP', Field.IP);
    check(SampleType.ADDR, 'ADDR', Field.ADDR);
    check(SampleType.DATA_SRC, 'DATA_SRC', Field.DATA_SRC);
    check(SampleType.WEIGHT | SampleType.WEIGHT_STRUCT, 'WEIGHT', Field.WEIGHT);
    if (o.fields & (Field.PID | Field.TID)) {
      if (!(st & SampleType.TID)) {
        if (o.userSetFields & (Field.PID | Field.TID)) {
          throw new ScriptUsageError(
            `Samples for '${e.name}' event do not have TID attribute set. Cannot print 'tid' field.`,
          );
        }
        o.fields &= ~(Field.PID | Field.TID);
      }
    }
    check(SampleType.TIME, 'TIME', Field.TIME);
    check(SampleType.CPU, 'CPU', Field.CPU);
    check(SampleType.PHYS_ADDR, 'PHYS_ADDR', Field.PHYS_ADDR);
    check(SampleType.DATA_PAGE_SIZE, 'DATA_PAGE_SIZE', Field.DATA_PAGE_SIZE);
    check(SampleType.CODE_PAGE_SIZE, 'CODE_PAGE_SIZE', Field.CODE_PAGE_SIZE);
    check(SampleType.CGROUP, 'CGROUP', Field.CGROUP);
    if (o.fields & (Field.SYM | Field.DSO) && !(st & (SampleType.IP | SampleType.ADDR))) {
      throw new ScriptUsageError(
        'Display of symbols requested but neither sample IP nor sample address\navailable. Hence, no addresses to convert to symbols.',
      );
    }
  }
}

function typeLabel(t: number): string {
  return (
    ['hardware', 'software', 'tracepoint', 'hardware cache', 'raw', 'breakpoint', 'synth', 'other'][
      t
    ] ?? 'unknown'
  );
}

function fieldLabel(field: number): string {
  for (const [name, f] of Object.entries(FIELD_NAMES)) if (f === field) return name;
  return 'unknown';
}
