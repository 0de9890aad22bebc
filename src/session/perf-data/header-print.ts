import { hasFlag, type EventAttr } from './attr';
import type { AttrFlag } from './constants';
import { Feature, featureName } from './constants';
import type { EventList } from './evlist';
import type { HeaderInfo } from './features';
import type { FileHeader } from './file-header';
import { formatTimeUsec } from './time-format';

/** The last feature perf 6.1 knows (HEADER_PMU_CAPS); later ones are not listed as missing. */
const LAST_KNOWN_FEATURE = Feature.PMU_CAPS;

const SAMPLE_TYPE_NAMES = [
  'IP',
  'TID',
  'TIME',
  'ADDR',
  'READ',
  'CALLCHAIN',
  'ID',
  'CPU',
  'PERIOD',
  'STREAM_ID',
  'RAW',
  'BRANCH_STACK',
  'REGS_USER',
  'STACK_USER',
  'WEIGHT',
  'DATA_SRC',
  'IDENTIFIER',
  'TRANSACTION',
  'REGS_INTR',
  'PHYS_ADDR',
  'AUX',
  'CGROUP',
  'DATA_PAGE_SIZE',
  'CODE_PAGE_SIZE',
  'WEIGHT_STRUCT',
];
const READ_FORMAT_NAMES = ['TOTAL_TIME_ENABLED', 'TOTAL_TIME_RUNNING', 'ID', 'GROUP', 'LOST'];
const BRANCH_NAMES = [
  'USER',
  'KERNEL',
  'HV',
  'ANY',
  'ANY_CALL',
  'ANY_RETURN',
  'IND_CALL',
  'ABORT_TX',
  'IN_TX',
  'NO_TX',
  'COND',
  'CALL_STACK',
  'IND_JUMP',
  'CALL',
  'NO_FLAGS',
  'NO_CYCLES',
  'TYPE_SAVE',
  'HW_INDEX',
  'PRIV_SAVE',
];

function bitNames(value: number, names: string[]): string {
  const parts: string[] = [];
  let rest = value;
  for (let bit = 0; bit < names.length; bit++) {
    if (value & (1 << bit)) {
      parts.push(names[bit]!);
      rest &= ~(1 << bit);
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}

/** perf_event_attr__fprintf: every non-zero field as `, name = value`. */
export function formatAttr(attr: EventAttr): string {
  const out: string[] = [];
  const put = (name: string, v: bigint | number, kind: 'u' | 'x' | 's' = 'u'): void => {
    if (v === 0 || v === 0n) return;
    const text = kind === 'x' ? `0x${v.toString(16)}` : String(v);
    out.push(`${name} = ${text}`);
  };
  put('type', attr.type);
  put('size', attr.size);
  put('config', attr.config, 'x');
  put('{ sample_period, sample_freq }', attr.samplePeriod);
  if (attr.sampleType) out.push(`sample_type = ${bitNames(attr.sampleType, SAMPLE_TYPE_NAMES)}`);
  if (attr.readFormat) out.push(`read_format = ${bitNames(attr.readFormat, READ_FORMAT_NAMES)}`);
  const flagOrder: (keyof typeof AttrFlag | 'precise_ip')[] = [
    'disabled',
    'inherit',
    'pinned',
    'exclusive',
    'exclude_user',
    'exclude_kernel',
    'exclude_hv',
    'exclude_idle',
    'mmap',
    'comm',
    'freq',
    'inherit_stat',
    'enable_on_exec',
    'task',
    'watermark',
    'precise_ip',
    'mmap_data',
    'sample_id_all',
    'exclude_host',
    'exclude_guest',
    'exclude_callchain_kernel',
    'exclude_callchain_user',
    'mmap2',
    'comm_exec',
    'use_clockid',
    'context_switch',
    'write_backward',
    'namespaces',
    'ksymbol',
    'bpf_event',
    'aux_output',
    'cgroup',
    'text_poke',
    'build_id',
    'inherit_thread',
    'remove_on_exec',
    'sigtrap',
    'defer_callchain',
    'defer_output',
  ];
  for (const f of flagOrder) {
    if (f === 'precise_ip') put('precise_ip', attr.preciseIp);
    else if (hasFlag(attr, f)) out.push(`${f} = 1`);
  }
  put('{ wakeup_events, wakeup_watermark }', attr.wakeupEvents);
  put('bp_type', attr.bpType);
  put('{ bp_addr, config1 }', attr.config1, 'x');
  put('{ bp_len, config2 }', attr.config2, 'x');
  if (attr.branchSampleType)
    out.push(`branch_sample_type = ${bitNames(attr.branchSampleType, BRANCH_NAMES)}`);
  put('sample_regs_user', attr.sampleRegsUser, 'x');
  put('sample_stack_user', attr.sampleStackUser);
  put('clockid', attr.clockid, 's');
  put('sample_regs_intr', attr.sampleRegsIntr, 'x');
  put('aux_watermark', attr.auxWatermark);
  put('sample_max_stack', attr.sampleMaxStack);
  put('aux_sample_size', attr.auxSampleSize);
  put('sig_data', attr.sigData);
  return out.map((s) => `, ${s}`).join('');
}

/** The feature lines `perf report --header-only` prints, in feature order. */
export function formatFeatures(info: HeaderInfo, events: EventList): string[] {
  const l: string[] = [];
  const has = (f: number): boolean => info.present.has(f);
  if (info.hostname !== undefined) l.push(`# hostname : ${info.hostname}`);
  if (info.osRelease !== undefined) l.push(`# os release : ${info.osRelease}`);
  if (info.version !== undefined) l.push(`# perf version : ${info.version}`);
  if (info.arch !== undefined) l.push(`# arch : ${info.arch}`);
  if (info.nrCpusOnline !== undefined) {
    l.push(`# nrcpus online : ${info.nrCpusOnline}`);
    l.push(`# nrcpus avail : ${info.nrCpusAvail}`);
  }
  if (info.cpuDesc !== undefined) l.push(`# cpudesc : ${info.cpuDesc}`);
  if (info.cpuId !== undefined) l.push(`# cpuid : ${info.cpuId}`);
  if (info.totalMemKb !== undefined) l.push(`# total memory : ${info.totalMemKb} kB`);
  if (info.cmdline) l.push(`# cmdline : ${info.cmdline.map((a) => `${a} `).join('')}`);
  if (has(Feature.EVENT_DESC)) {
    for (const e of events.events) {
      let s = `# event : name = ${e.name}, `;
      if (e.ids.length) s += `, id = { ${e.ids.join(', ')} }`;
      l.push(s + formatAttr(e.attr));
    }
  }
  if (has(Feature.CPU_TOPOLOGY)) l.push('# CPU_TOPOLOGY info available, use -I to display');
  if (has(Feature.NUMA_TOPOLOGY)) l.push('# NUMA_TOPOLOGY info available, use -I to display');
  if (has(Feature.BRANCH_STACK)) l.push('# contains samples with branch stack');
  if (info.pmuMappings) {
    const m = info.pmuMappings.map((p) => `${p.name} = ${p.type}`).join(', ');
    l.push(info.pmuMappings.length ? `# pmu mappings: ${m}` : '# pmu mappings: not available');
  }
  if (info.groupDescs) {
    for (const g of info.groupDescs) {
      if (g.nrMembers < 2) continue;
      const members = events.events.slice(g.leader, g.leader + g.nrMembers).map((e) => e.name);
      // perf stores an unnamed group as "{anon_group}" and reads that back as no name
      const name = g.name === '{anon_group}' ? '' : g.name;
      l.push(`# group: ${name}{${members.join(',')}}`);
    }
  }
  if (has(Feature.AUXTRACE)) l.push('# contains AUX area data (e.g. instruction trace)');
  if (has(Feature.STAT)) l.push('# contains stat data');
  if (has(Feature.CACHE)) l.push('# CACHE info available, use -I to display');
  if (info.sampleTime) {
    const { first, last } = info.sampleTime;
    l.push(`# time of first sample : ${formatTimeUsec(first)}`);
    l.push(`# time of last sample : ${formatTimeUsec(last)}`);
    const ms = Number(last - first) / 1e6;
    l.push(`# sample duration : ${ms.toFixed(3).padStart(10)} ms`);
  }
  if (has(Feature.MEM_TOPOLOGY)) l.push('# MEM_TOPOLOGY info available, use -I to display');
  if (info.clockidResNs !== undefined)
    l.push(`# clockid frequency: ${Math.round(1000 / info.clockidResNs)} MHz`);
  if (info.dirFormatVersion !== undefined)
    l.push(`# directory data version : ${info.dirFormatVersion}`);
  if (info.compressed) {
    const c = info.compressed;
    l.push(
      `# compressed : ${c.type === 1 ? 'Zstd' : 'Unknown'}, level = ${c.level}, ratio = ${c.ratio}`,
    );
  }
  if (info.cpuPmuCaps) {
    l.push(
      info.cpuPmuCaps.length
        ? `# cpu pmu capabilities: ${info.cpuPmuCaps.join(', ')}`
        : '# cpu pmu capabilities: not available',
    );
  }
  return l;
}

/** `perf report --header-only` (perf 6.1 layout). `mtime` is the file's modification time. */
export function formatHeader(
  header: FileHeader,
  info: HeaderInfo,
  events: EventList,
  mtime: Date | undefined,
): string {
  const l: string[] = ['# ========'];
  l.push(`# captured on    : ${mtime ? ctime(mtime) : '(standard input)'}`);
  l.push('# header version : 1');
  l.push(`# data offset    : ${header.pipe ? 0 : header.data.offset}`);
  l.push(`# data size      : ${header.pipe ? 0 : header.data.size}`);
  l.push(`# feat offset    : ${header.pipe ? 0 : header.data.offset + header.data.size}`);
  if (header.pipe) {
    l.push('# ========', '#');
    l.push(...formatFeatures(info, events));
    return l.join('\n') + '\n';
  }
  l.push(...formatFeatures(info, events));
  const missing: string[] = [];
  for (let f = Feature.TRACING_DATA; f <= LAST_KNOWN_FEATURE; f++) {
    if (!info.present.has(f)) missing.push(featureName(f));
  }
  if (missing.length) l.push(`# missing features: ${missing.map((m) => `${m} `).join('')}`);
  l.push('# ========', '#');
  return l.join('\n') + '\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C's ctime() without the newline, in UTC (the oracles were made with TZ=UTC). */
function ctime(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`
  );
}
