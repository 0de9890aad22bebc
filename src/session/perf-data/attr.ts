import { AttrFlag, type AttrFlagName } from './constants';
import type { Cursor } from './cursor';
import { PerfDataError } from './errors';

/**
 * struct perf_event_attr (include/uapi/linux/perf_event.h). Its size grew over the years
 * (64 bytes in VER0 ... 136 in VER8); we read the fields a given size contains and ignore the rest.
 *
 *    0 u32 type                 4 u32 size
 *    8 u64 config              16 u64 sample_period | sample_freq
 *   24 u64 sample_type         32 u64 read_format
 *   40 u64 flags (bitfield)    48 u32 wakeup_events | wakeup_watermark
 *   52 u32 bp_type             56 u64 config1          64 u64 config2      (VER1 = 72)
 *   72 u64 branch_sample_type                                              (VER2 = 80)
 *   80 u64 sample_regs_user    88 u32 sample_stack_user 92 s32 clockid     (VER3 = 96)
 *   96 u64 sample_regs_intr                                                (VER4 = 104)
 *  104 u32 aux_watermark      108 u16 sample_max_stack 110 u16 reserved    (VER5 = 112)
 *  112 u32 aux_sample_size    116 u32 aux_action                           (VER6 = 120)
 *  120 u64 sig_data                                                        (VER7 = 128)
 *  128 u64 config3                                                         (VER8 = 136)
 */
export interface EventAttr {
  type: number;
  /** attr.size as stored (0 in very old files means VER0, 64 bytes). */
  size: number;
  config: bigint;
  /** sample_period, or sample_freq when `freq` is set. */
  samplePeriod: bigint;
  sampleType: number;
  readFormat: number;
  flags: bigint;
  preciseIp: number;
  wakeupEvents: number;
  bpType: number;
  config1: bigint;
  config2: bigint;
  branchSampleType: number;
  sampleRegsUser: bigint;
  sampleStackUser: number;
  clockid: number;
  sampleRegsIntr: bigint;
  auxWatermark: number;
  sampleMaxStack: number;
  auxSampleSize: number;
  auxAction: number;
  sigData: bigint;
  config3: bigint;
}

export const ATTR_SIZE_VER0 = 64;

export function hasFlag(attr: EventAttr, name: AttrFlagName): boolean {
  return ((attr.flags >> BigInt(AttrFlag[name])) & 1n) === 1n;
}

/** Reads one perf_event_attr occupying `attrSize` bytes at the cursor. */
export function readAttr(c: Cursor, attrSize: number): EventAttr {
  const start = c.pos;
  if (attrSize < ATTR_SIZE_VER0) {
    throw new PerfDataError(
      `perf_event_attr is ${attrSize} bytes, expected at least ${ATTR_SIZE_VER0}`,
      c.absolute(),
      'attr.size',
    );
  }
  c.need(attrSize, 'perf_event_attr');
  const u64At = (off: number): bigint =>
    off + 8 <= attrSize ? c.view.getBigUint64(start + off, c.le) : 0n;
  const u32At = (off: number): number =>
    off + 4 <= attrSize ? c.view.getUint32(start + off, c.le) : 0;
  const u16At = (off: number): number =>
    off + 2 <= attrSize ? c.view.getUint16(start + off, c.le) : 0;
  const flags = u64At(40);
  const attr: EventAttr = {
    type: u32At(0),
    size: u32At(4),
    config: u64At(8),
    samplePeriod: u64At(16),
    sampleType: Number(u64At(24) & 0xffffffffn),
    readFormat: Number(u64At(32) & 0xffffffffn),
    flags,
    preciseIp: Number((flags >> 15n) & 3n),
    wakeupEvents: u32At(48),
    bpType: u32At(52),
    config1: u64At(56),
    config2: u64At(64),
    branchSampleType: Number(u64At(72) & 0xffffffffn),
    sampleRegsUser: u64At(80),
    sampleStackUser: u32At(88),
    clockid: u32At(92) | 0,
    sampleRegsIntr: u64At(96),
    auxWatermark: u32At(104),
    sampleMaxStack: u16At(108),
    auxSampleSize: u32At(112),
    auxAction: u32At(116),
    sigData: u64At(120),
    config3: u64At(128),
  };
  c.pos = start + attrSize;
  return attr;
}

/** Number of set bits of a register mask (how many u64 registers a sample carries). */
export function popcount64(mask: bigint): number {
  let n = 0;
  for (let m = mask; m !== 0n; m &= m - 1n) n++;
  return n;
}
