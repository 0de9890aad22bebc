import { dsoShortName, type EntryKey, type HistEntry } from './hist-entry';
import { addrDiffSign, hexAlt16, u64Key } from './u64-order';

/** The `--sort` keys this report implements (perf's sort_entry structs of util/sort.c). */
export type SortKeyName = 'pid' | 'comm' | 'dso' | 'symbol' | 'cpu' | 'trace' | 'ipc_null';

/** perf's column width slots (HISTC_*): keys sharing a slot share a width. */
export type Column = 'thread' | 'comm' | 'dso' | 'symbol' | 'cpu' | 'trace' | 'ipc';

/** What the comparisons depend on besides the two entries. */
export interface SortContext {
  /** `dso` is a sort key (perf's hists__has(hists, dso)). */
  readonly hasDso: boolean;
  /** The event is a tracepoint (else `trace` prints N/A and compares equal). */
  readonly tracepoint: boolean;
}

export interface SortKey {
  readonly name: SortKeyName;
  /** Column header (perf's se_header). */
  readonly header: string;
  readonly column: Column;
  /** perf's se_cmp (se_collapse is the same for these keys), as cmp(left, right). */
  cmp(l: EntryKey, r: EntryKey, ctx: SortContext): number;
  /** perf's se_sort, else se_cmp: the output order after the overhead columns. */
  sort(l: EntryKey, r: EntryKey, ctx: SortContext): number;
  /** Equal strings exactly when `cmp` gives 0. */
  identity(e: EntryKey, ctx: SortContext): string;
  /** perf's se_snprintf for a column `width` wide. */
  format(e: HistEntry, width: number): string;
}

export class ReportUsageError extends Error {}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** perf's cmp_null(l, r) for pointers of which at least one is NULL. */
function cmpNull(l: unknown, r: unknown): number {
  if (!l && !r) return 0;
  return !l ? -1 : 1;
}

/** printf("%-*.*s", width, width, text). */
function column(text: string, width: number): string {
  return text.length > width ? text.slice(0, width) : text.padEnd(width);
}

function dsoCmp(l: EntryKey, r: EntryKey): number {
  const ld = l.map?.dso;
  const rd = r.map?.dso;
  if (!ld || !rd) return cmpNull(ld, rd);
  if (ld === rd) return 0;
  return strcmp(dsoShortName(rd), dsoShortName(ld));
}

function dsoIdentity(e: EntryKey): string {
  const dso = e.map?.dso;
  return dso ? `d${dsoShortName(dso)}` : '-';
}

/**
 * perf's _sort__sym_cmp without the end comparison (symbols of one DSO never share a start);
 * inlined frames compare by name.
 */
function symCmp(l: EntryKey, r: EntryKey): number {
  if (!l.sym || !r.sym) return cmpNull(l.sym, r.sym);
  if (l.sym === r.sym) return 0;
  if (l.sym.inlined || r.sym.inlined) return strcmp(l.sym.name, r.sym.name);
  return addrDiffSign(l.sym.start, r.sym.start);
}

function symIdentity(e: EntryKey): string {
  if (!e.sym) return `i${u64Key(e.ip)}`;
  return e.sym.inlined ? `n${e.sym.name}` : `s${u64Key(e.sym.start)}`;
}

const pid: SortKey = {
  name: 'pid',
  header: '    Pid:Command',
  column: 'thread',
  cmp: (l, r) => r.thread.tid - l.thread.tid,
  sort: (l, r) => r.thread.tid - l.thread.tid,
  identity: (e) => String(e.thread.tid),
  // perf prints the thread's comm as it is at the end of the session.
  format: (e, width) => {
    const w = Math.max(7, width) - 8;
    return `${String(e.thread.tid).padStart(7)}:${column(e.thread.comm, w)}`;
  },
};

const comm: SortKey = {
  name: 'comm',
  header: 'Command',
  column: 'comm',
  cmp: (l, r) => strcmp(r.comm.comm, l.comm.comm),
  sort: (l, r) => strcmp(r.comm.comm, l.comm.comm),
  identity: (e) => e.comm.comm,
  format: (e, width) => column(e.comm.comm, width),
};

const dso: SortKey = {
  name: 'dso',
  header: 'Shared Object',
  column: 'dso',
  cmp: dsoCmp,
  sort: dsoCmp,
  identity: dsoIdentity,
  format: (e, width) => column(e.map ? dsoShortName(e.map.dso) : '[unknown]', width),
};

const symbol: SortKey = {
  name: 'symbol',
  header: 'Symbol',
  column: 'symbol',
  cmp: (l, r, ctx) => {
    if (!l.sym && !r.sym) return addrDiffSign(l.ip, r.ip);
    if (!ctx.hasDso) {
      const ret = dsoCmp(l, r);
      if (ret) return ret;
    }
    return symCmp(l, r);
  },
  sort: (l, r) => {
    if (!l.sym || !r.sym) return cmpNull(l.sym, r.sym);
    return strcmp(r.sym.name, l.sym.name);
  },
  identity: (e, ctx) => (ctx.hasDso || !e.sym ? '' : dsoIdentity(e)) + symIdentity(e),
  format: (e, width) => {
    const level = `[${e.level}] `;
    if (!e.sym) return level + hexAlt16(e.ip);
    const name = e.sym.name.slice(0, Math.max(0, width - level.length));
    return level + (e.sym.inlined ? `${name} (inlined)` : name);
  },
};

/** perf's sort_cpu: `right->cpu - left->cpu`, printed "%*.*d" (CPU -1 prints as -001). */
const cpu: SortKey = {
  name: 'cpu',
  header: 'CPU',
  column: 'cpu',
  cmp: (l, r) => r.cpu - l.cpu,
  sort: (l, r) => r.cpu - l.cpu,
  identity: (e) => String(e.cpu),
  format: (e, width) => {
    const digits = String(Math.abs(e.cpu)).padStart(width, '0');
    return (e.cpu < 0 ? `-${digits}` : digits).padStart(width);
  },
};

const trace: SortKey = {
  name: 'trace',
  header: 'Trace output',
  column: 'trace',
  cmp: (l, r, ctx) => (ctx.tracepoint ? strcmp(r.trace ?? '', l.trace ?? '') : 0),
  sort: (l, r, ctx) => (ctx.tracepoint ? strcmp(r.trace ?? '', l.trace ?? '') : 0),
  identity: (e, ctx) => (ctx.tracepoint ? (e.trace ?? '') : ''),
  format: (e, width) => (e.trace ?? 'N/A').slice(0, width),
};

const ipcNull: SortKey = {
  name: 'ipc_null',
  header: 'IPC   [IPC Coverage]',
  column: 'ipc',
  cmp: () => 0,
  sort: () => 0,
  identity: () => '',
  format: (_e, width) => '-      -'.padEnd(width),
};

const IMPLEMENTED: Record<SortKeyName, SortKey> = {
  pid,
  comm,
  dso,
  symbol,
  cpu,
  trace,
  ipc_null: ipcNull,
};

/**
 * perf 6.1's sort dimensions in the order `sort_dimension__add` tries them: a key may be any
 * prefix of a name, case-insensitive, and the first name it starts wins (`sym` is symbol).
 */
const PERF_SORT_DIMENSIONS = [
  'pid', 'comm', 'dso', 'symbol', 'parent', 'cpu', 'socket', 'srcline', 'srcfile',
  'local_weight', 'weight', 'transaction', 'trace', 'symbol_size', 'dso_size', 'cgroup',
  'cgroup_id', 'ipc_null', 'time', 'code_page_size', 'local_ins_lat', 'ins_lat',
  'local_p_stage_cyc', 'p_stage_cyc', 'addr',
  'overhead', 'overhead_sys', 'overhead_us', 'overhead_guest_sys', 'overhead_guest_us',
  'overhead_children', 'sample', 'period',
  'dso_from', 'dso_to', 'symbol_from', 'symbol_to', 'mispredict', 'abort', 'in_tx', 'cycles',
  'srcline_from', 'srcline_to', 'ipc_lbr', 'addr_from', 'addr_to',
  'symbol_daddr', 'dso_daddr', 'locked', 'tlb', 'mem', 'snoop', 'dcacheline', 'symbol_iaddr',
  'phys_daddr', 'data_page_size', 'blocked',
]; // prettier-ignore

function isImplemented(name: string): name is SortKeyName {
  return Object.hasOwn(IMPLEMENTED, name);
}

/**
 * Parses a `--sort` list as perf's setup_sort_list does: keys separated by commas or spaces,
 * prefixes allowed, repeated keys ignored.
 */
export function parseSortKeys(order: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const tok of order.split(/[, ]+/).filter(Boolean)) {
    const lower = tok.toLowerCase();
    const name = PERF_SORT_DIMENSIONS.find((d) => d.startsWith(lower));
    if (!name) throw new ReportUsageError(`Unknown --sort key: \`${tok}'`);
    if (!isImplemented(name)) {
      throw new ReportUsageError(`--sort key \`${name}' is not supported by perfws report`);
    }
    const key = IMPLEMENTED[name];
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The entry identity for a key list: entries with equal identities are one hist entry. */
export function entryIdentity(keys: readonly SortKey[], e: EntryKey, ctx: SortContext): string {
  let id = '';
  for (const k of keys) id += `${k.identity(e, ctx)}\u0000`;
  return id;
}
