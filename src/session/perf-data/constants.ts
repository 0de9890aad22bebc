/**
 * Numeric constants of the perf.data format and the perf_event ABI
 * (include/uapi/linux/perf_event.h, tools/perf/util/event.h, tools/perf/util/header.h).
 */

/** perf_event_header.type values written by the kernel. */
export const RecordType = {
  MMAP: 1,
  LOST: 2,
  COMM: 3,
  EXIT: 4,
  THROTTLE: 5,
  UNTHROTTLE: 6,
  FORK: 7,
  READ: 8,
  SAMPLE: 9,
  MMAP2: 10,
  AUX: 11,
  ITRACE_START: 12,
  LOST_SAMPLES: 13,
  SWITCH: 14,
  SWITCH_CPU_WIDE: 15,
  NAMESPACES: 16,
  KSYMBOL: 17,
  BPF_EVENT: 18,
  CGROUP: 19,
  TEXT_POKE: 20,
  AUX_OUTPUT_HW_ID: 21,
  CALLCHAIN_DEFERRED: 22,
  // Records synthesized by perf itself (PERF_RECORD_USER_TYPE_START = 64).
  HEADER_ATTR: 64,
  HEADER_EVENT_TYPE: 65,
  HEADER_TRACING_DATA: 66,
  HEADER_BUILD_ID: 67,
  FINISHED_ROUND: 68,
  ID_INDEX: 69,
  AUXTRACE_INFO: 70,
  AUXTRACE: 71,
  AUXTRACE_ERROR: 72,
  THREAD_MAP: 73,
  CPU_MAP: 74,
  STAT_CONFIG: 75,
  STAT: 76,
  STAT_ROUND: 77,
  EVENT_UPDATE: 78,
  TIME_CONV: 79,
  HEADER_FEATURE: 80,
  COMPRESSED: 81,
  FINISHED_INIT: 82,
  COMPRESSED2: 83,
  BPF_METADATA: 84,
  SCHEDSTAT_CPU: 85,
  SCHEDSTAT_DOMAIN: 86,
} as const;

export const USER_TYPE_START = 64;

const recordNames = new Map<number, string>(
  Object.entries(RecordType).map(([name, type]) => [type, name]),
);

/** The name perf uses for a record type (without the PERF_RECORD_ prefix), or `UNKNOWN(n)`. */
export function recordTypeName(type: number): string {
  return recordNames.get(type) ?? `UNKNOWN(${type})`;
}

/** perf_event_attr.sample_type bits (all below bit 31, so plain numbers). */
export const SampleType = {
  IP: 1 << 0,
  TID: 1 << 1,
  TIME: 1 << 2,
  ADDR: 1 << 3,
  READ: 1 << 4,
  CALLCHAIN: 1 << 5,
  ID: 1 << 6,
  CPU: 1 << 7,
  PERIOD: 1 << 8,
  STREAM_ID: 1 << 9,
  RAW: 1 << 10,
  BRANCH_STACK: 1 << 11,
  REGS_USER: 1 << 12,
  STACK_USER: 1 << 13,
  WEIGHT: 1 << 14,
  DATA_SRC: 1 << 15,
  IDENTIFIER: 1 << 16,
  TRANSACTION: 1 << 17,
  REGS_INTR: 1 << 18,
  PHYS_ADDR: 1 << 19,
  AUX: 1 << 20,
  CGROUP: 1 << 21,
  DATA_PAGE_SIZE: 1 << 22,
  CODE_PAGE_SIZE: 1 << 23,
  WEIGHT_STRUCT: 1 << 24,
} as const;

/** perf_event_attr.read_format bits. */
export const ReadFormat = {
  TOTAL_TIME_ENABLED: 1 << 0,
  TOTAL_TIME_RUNNING: 1 << 1,
  ID: 1 << 2,
  GROUP: 1 << 3,
  LOST: 1 << 4,
} as const;

/** perf_event_attr.branch_sample_type bits that change the sample layout. */
export const BranchSampleType = {
  HW_INDEX: 1 << 17,
  COUNTERS: 1 << 19,
} as const;

/** Bits of the perf_event_attr flags word (byte offset 40). */
export const AttrFlag = {
  disabled: 0,
  inherit: 1,
  pinned: 2,
  exclusive: 3,
  exclude_user: 4,
  exclude_kernel: 5,
  exclude_hv: 6,
  exclude_idle: 7,
  mmap: 8,
  comm: 9,
  freq: 10,
  inherit_stat: 11,
  enable_on_exec: 12,
  task: 13,
  watermark: 14,
  // bits 15-16: precise_ip (2 bits)
  mmap_data: 17,
  sample_id_all: 18,
  exclude_host: 19,
  exclude_guest: 20,
  exclude_callchain_kernel: 21,
  exclude_callchain_user: 22,
  mmap2: 23,
  comm_exec: 24,
  use_clockid: 25,
  context_switch: 26,
  write_backward: 27,
  namespaces: 28,
  ksymbol: 29,
  bpf_event: 30,
  aux_output: 31,
  cgroup: 32,
  text_poke: 33,
  build_id: 34,
  inherit_thread: 35,
  remove_on_exec: 36,
  sigtrap: 37,
  defer_callchain: 38,
  defer_output: 39,
} as const;
export type AttrFlagName = keyof typeof AttrFlag;

/** perf_event_header.misc bits. */
export const Misc = {
  CPUMODE_MASK: 0x7,
  CPUMODE_UNKNOWN: 0,
  KERNEL: 1,
  USER: 2,
  HYPERVISOR: 3,
  GUEST_KERNEL: 4,
  GUEST_USER: 5,
  /** MMAP/MMAP2: a data (non-executable) mapping. */
  MMAP_DATA: 1 << 13,
  /** COMM: the comm changed because of exec. */
  COMM_EXEC: 1 << 13,
  /** SWITCH: the task was switched out (else in). */
  SWITCH_OUT: 1 << 13,
  /** MMAP2: the record carries a build-id instead of maj/min/ino. */
  MMAP_BUILD_ID: 1 << 14,
  /** SWITCH: switched out while still runnable (preempted). */
  SWITCH_OUT_PREEMPT: 1 << 14,
  /** MMAP: synthesized while /proc/PID/maps parsing timed out. */
  PROC_MAP_PARSE_TIMEOUT: 1 << 12,
  /** HEADER_BUILD_ID: the size byte of the build-id is valid. */
  BUILD_ID_SIZE: 1 << 15,
  EXACT_IP: 1 << 14,
} as const;

/** Callchain context markers: entries >= CONTEXT_MAX are not addresses. */
export const Context = {
  HV: 0xffff_ffff_ffff_ffe0n,
  KERNEL: 0xffff_ffff_ffff_ff80n,
  USER: 0xffff_ffff_ffff_fe00n,
  USER_DEFERRED: 0xffff_ffff_ffff_fd80n,
  GUEST: 0xffff_ffff_ffff_f800n,
  GUEST_KERNEL: 0xffff_ffff_ffff_f780n,
  GUEST_USER: 0xffff_ffff_ffff_f600n,
  MAX: 0xffff_ffff_ffff_f001n,
} as const;

/** The same markers as exact JavaScript numbers in the signed address encoding (see u64.ts). */
export const ContextNum = {
  HV: -32,
  KERNEL: -128,
  USER: -512,
  USER_DEFERRED: -640,
  GUEST: -2048,
  GUEST_KERNEL: -2176,
  GUEST_USER: -2560,
  MAX: -4095,
} as const;

/** Feature bits of the file header (tools/perf/util/header.h, enum HEADER_*). */
export const Feature = {
  TRACING_DATA: 1,
  BUILD_ID: 2,
  HOSTNAME: 3,
  OSRELEASE: 4,
  VERSION: 5,
  ARCH: 6,
  NRCPUS: 7,
  CPUDESC: 8,
  CPUID: 9,
  TOTAL_MEM: 10,
  CMDLINE: 11,
  EVENT_DESC: 12,
  CPU_TOPOLOGY: 13,
  NUMA_TOPOLOGY: 14,
  BRANCH_STACK: 15,
  PMU_MAPPINGS: 16,
  GROUP_DESC: 17,
  AUXTRACE: 18,
  STAT: 19,
  CACHE: 20,
  SAMPLE_TIME: 21,
  MEM_TOPOLOGY: 22,
  CLOCKID: 23,
  DIR_FORMAT: 24,
  BPF_PROG_INFO: 25,
  BPF_BTF: 26,
  COMPRESSED: 27,
  CPU_PMU_CAPS: 28,
  CLOCK_DATA: 29,
  HYBRID_TOPOLOGY: 30,
  PMU_CAPS: 31,
  CPU_DOMAIN_INFO: 32,
  E_MACHINE: 33,
} as const;

export const FEATURE_BITS = 256;

const featureNames = new Map<number, string>(
  Object.entries(Feature).map(([name, bit]) => [bit, name]),
);
export function featureName(bit: number): string {
  return featureNames.get(bit) ?? `FEATURE_${bit}`;
}

/** perf_event_attr.type values. */
export const AttrType = {
  HARDWARE: 0,
  SOFTWARE: 1,
  TRACEPOINT: 2,
  HW_CACHE: 3,
  RAW: 4,
  BREAKPOINT: 5,
} as const;
