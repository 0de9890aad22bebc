import { readAttr, type EventAttr } from './attr';
import { Feature, Misc } from './constants';
import { Cursor, textDecoder } from './cursor';
import { PerfDataError } from './errors';
import { hex } from './records';

/** One entry of the build-id table (HEADER_BUILD_ID / PERF_RECORD_HEADER_BUILD_ID). */
export interface BuildIdEntry {
  pid: number;
  /** header.misc & CPUMODE_MASK: kernel (1) or user (2), guest variants. */
  cpumode: number;
  buildId: string;
  filename: string;
}

export interface EventDescEntry {
  attr: EventAttr;
  name: string;
  ids: number[];
}

/** What the feature sections (or pipe-mode HEADER_FEATURE records) tell about the recording. */
export interface HeaderInfo {
  /** Feature bits whose data was seen. */
  present: Set<number>;
  hostname?: string;
  osRelease?: string;
  version?: string;
  arch?: string;
  nrCpusAvail?: number;
  nrCpusOnline?: number;
  cpuDesc?: string;
  cpuId?: string;
  totalMemKb?: number;
  cmdline?: string[];
  eventDescs?: EventDescEntry[];
  buildIds: BuildIdEntry[];
  pmuMappings?: { type: number; name: string }[];
  groupDescs?: { name: string; leader: number; nrMembers: number }[];
  /** HEADER_SAMPLE_TIME, absolute nanoseconds. */
  sampleTime?: { first: bigint; last: bigint };
  clockidResNs?: number;
  clockData?: { version: number; clockid: number; wallClockNs: bigint; clockidTimeNs: bigint };
  dirFormatVersion?: number;
  compressed?: { version: number; type: number; level: number; ratio: number; mmapLen: number };
  cpuPmuCaps?: string[];
  /** HEADER_TRACING_DATA bytes, decoded by the tracepoint module. */
  tracingData?: Uint8Array;
}

export function emptyHeaderInfo(): HeaderInfo {
  return { present: new Set(), buildIds: [] };
}

/** struct perf_header_string { u32 len; char string[len]; } (len includes NUL padding). */
function readString(c: Cursor, field: string): string {
  const len = c.u32(`${field}.len`);
  return c.fixedString(len, field);
}

/**
 * Parses one feature section into `info`. Unknown features are only marked present. Errors
 * carry the absolute offset; callers treat a broken feature as a warning, not a fatal error.
 */
export function parseFeature(
  info: HeaderInfo,
  feature: number,
  bytes: Uint8Array,
  le: boolean,
  fileOffset: number,
): void {
  const c = Cursor.of(bytes, le, fileOffset, `feature section ${feature}`);
  info.present.add(feature);
  switch (feature) {
    case Feature.TRACING_DATA:
      info.tracingData = bytes;
      return;
    case Feature.BUILD_ID:
      while (c.remaining >= 8) info.buildIds.push(readBuildIdEvent(c));
      return;
    case Feature.HOSTNAME:
      info.hostname = readString(c, 'hostname');
      return;
    case Feature.OSRELEASE:
      info.osRelease = readString(c, 'osrelease');
      return;
    case Feature.VERSION:
      info.version = readString(c, 'version');
      return;
    case Feature.ARCH:
      info.arch = readString(c, 'arch');
      return;
    case Feature.NRCPUS:
      info.nrCpusAvail = c.u32('nr_cpus_avail');
      info.nrCpusOnline = c.u32('nr_cpus_online');
      return;
    case Feature.CPUDESC:
      info.cpuDesc = readString(c, 'cpudesc');
      return;
    case Feature.CPUID:
      info.cpuId = readString(c, 'cpuid');
      return;
    case Feature.TOTAL_MEM:
      info.totalMemKb = c.u64Count('total_mem');
      return;
    case Feature.CMDLINE: {
      const nr = c.u32('cmdline.nr');
      checkCount(c, nr, 4, 'cmdline.nr');
      info.cmdline = [];
      for (let i = 0; i < nr; i++) info.cmdline.push(readString(c, 'cmdline'));
      return;
    }
    case Feature.EVENT_DESC: {
      const nr = c.u32('event_desc.nr');
      const attrSize = c.u32('event_desc.attr_size');
      checkCount(c, nr, attrSize + 8, 'event_desc.nr');
      info.eventDescs = [];
      for (let i = 0; i < nr; i++) {
        const attr = readAttr(c, attrSize);
        const nrIds = c.u32('event_desc.nr_ids');
        const name = readString(c, 'event_desc.name');
        checkCount(c, nrIds, 8, 'event_desc.nr_ids');
        const ids: number[] = [];
        for (let j = 0; j < nrIds; j++) ids.push(c.u64Count('event_desc.id'));
        info.eventDescs.push({ attr, name, ids });
      }
      return;
    }
    case Feature.PMU_MAPPINGS: {
      const nr = c.u32('pmu_mappings.nr');
      checkCount(c, nr, 8, 'pmu_mappings.nr');
      info.pmuMappings = [];
      for (let i = 0; i < nr; i++) {
        const type = c.u32('pmu_mappings.type');
        info.pmuMappings.push({ type, name: readString(c, 'pmu_mappings.name') });
      }
      return;
    }
    case Feature.GROUP_DESC: {
      const nr = c.u32('group_desc.nr');
      checkCount(c, nr, 12, 'group_desc.nr');
      info.groupDescs = [];
      for (let i = 0; i < nr; i++) {
        const name = readString(c, 'group_desc.name');
        const leader = c.u32('group_desc.leader_idx');
        info.groupDescs.push({ name, leader, nrMembers: c.u32('group_desc.nr_members') });
      }
      return;
    }
    case Feature.SAMPLE_TIME:
      info.sampleTime = { first: c.u64('sample_time.first'), last: c.u64('sample_time.last') };
      return;
    case Feature.CLOCKID:
      info.clockidResNs = c.u64Count('clockid_res_ns');
      return;
    case Feature.CLOCK_DATA:
      info.clockData = {
        version: c.u32('clock_data.version'),
        clockid: c.u32('clock_data.clockid'),
        wallClockNs: c.u64('clock_data.wall_clock_ns'),
        clockidTimeNs: c.u64('clock_data.clockid_time_ns'),
      };
      return;
    case Feature.DIR_FORMAT:
      info.dirFormatVersion = c.u64Count('dir_format.version');
      return;
    case Feature.COMPRESSED:
      info.compressed = {
        version: c.u32('compressed.version'),
        type: c.u32('compressed.type'),
        level: c.u32('compressed.level'),
        ratio: c.u32('compressed.ratio'),
        mmapLen: c.u32('compressed.mmap_len'),
      };
      return;
    case Feature.CPU_PMU_CAPS: {
      const nr = c.u32('cpu_pmu_caps.nr');
      checkCount(c, nr, 4, 'cpu_pmu_caps.nr');
      info.cpuPmuCaps = [];
      for (let i = 0; i < nr; i++) info.cpuPmuCaps.push(readString(c, 'cpu_pmu_caps'));
      return;
    }
    default:
      return;
  }
}

function checkCount(c: Cursor, nr: number, minEach: number, field: string): void {
  if (nr * minEach > c.remaining) {
    throw new PerfDataError(
      `${field} is ${nr}, but only ${c.remaining} bytes remain`,
      c.absolute(c.pos - 4),
      field,
    );
  }
}

/**
 * struct perf_record_header_build_id { header; s32 pid; union { u8 build_id[24];
 *   struct { u8 data[20]; u8 size; u8 reserved[3]; } }; char filename[]; }
 * The size byte is valid when header.misc has PERF_RECORD_MISC_BUILD_ID_SIZE.
 */
export function readBuildIdEvent(c: Cursor): BuildIdEntry {
  const start = c.pos;
  c.u32('build_id.header.type');
  const misc = c.u16('build_id.header.misc');
  const size = c.u16('build_id.header.size');
  if (size < 36 || start + size > c.end) {
    throw new PerfDataError(
      `build-id entry size ${size} is outside 36..${c.end - start}`,
      c.absolute(start + 6),
      'build_id.header.size',
    );
  }
  const pid = c.i32('build_id.pid');
  const raw = c.bytes(24, 'build_id.build_id');
  const idSize = misc & Misc.BUILD_ID_SIZE ? Math.min(raw[20]!, 20) : 20;
  const nameBytes = c.bytes(start + size - c.pos, 'build_id.filename');
  const nul = nameBytes.indexOf(0);
  const filename = textDecoder.decode(nul < 0 ? nameBytes : nameBytes.subarray(0, nul));
  c.pos = start + size;
  return {
    pid,
    cpumode: misc & Misc.CPUMODE_MASK,
    buildId: hex(raw.subarray(0, idSize)),
    filename,
  };
}
