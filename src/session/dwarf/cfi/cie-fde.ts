/**
 * CIE and FDE parsing with libunwind 1.6's rules (src/dwarf/Gfde.c), which perf 6.1 uses for
 * `--call-graph dwarf`. Works on .eh_frame (CIE id 0, CIE pointer relative to itself) and
 * .debug_frame (CIE id 0xffffffff, CIE pointer relative to the section start).
 *
 *   CIE: length u32 (0xffffffff: u64 follows) | CIE_id u32/u64 | version u8 (1 or 3) |
 *        augmentation string | code_alignment_factor uleb | data_alignment_factor sleb |
 *        return_address_register (u8 in version 1, else uleb) |
 *        ['z': augmentation length uleb] ['L': LSDA encoding u8] ['R': FDE encoding u8]
 *        ['P': personality encoding u8 + encoded pointer] ['S': signal frame] | instructions
 *   FDE: length | CIE_pointer s32/s64 | initial_location (FDE encoding) |
 *        address_range (FDE encoding's format only) | ['z': augmentation length uleb,
 *        LSDA pointer] | instructions
 */
import { CfiReader, wrap64, type CfiMemory, type EncodingContext } from './cfi-memory.js';
import { DW_EH_PE_omit, DW_EH_PE_udata8 } from './constants.js';
import { UnwCode, fail } from './unwind-failure.js';

export interface CieInfo {
  version: number;
  codeAlign: bigint;
  /** Signed. */
  dataAlign: bigint;
  raColumn: number;
  fdeEncoding: number;
  lsdaEncoding: number;
  sizedAugmentation: boolean;
  /** 'S' augmentation: the frame is a signal trampoline (no pc-1 lookup for the next frame). */
  signalFrame: boolean;
  instrStart: bigint;
  instrEnd: bigint;
}

/** The FDE covering an address: libunwind's unw_proc_info_t plus its dwarf_cie_info. */
export interface ProcInfo {
  startIp: bigint;
  endIp: bigint;
  cie: CieInfo;
  instrStart: bigint;
  instrEnd: bigint;
  /** Where the instructions (and expressions) are read from. */
  mem: CfiMemory;
  gp: bigint;
}

/** libunwind keeps the first four augmentation characters; longer strings are corrupt here. */
const MAX_AUGMENTATION = 256;

export function parseCie(
  mem: CfiMemory,
  addr: bigint,
  isDebugFrame: boolean,
  ctx: EncodingContext,
): CieInfo {
  const r = new CfiReader(mem, addr);
  let fdeEncoding = DW_EH_PE_udata8; // address-sized default for 64-bit targets
  let lsdaEncoding = DW_EH_PE_omit;
  let cieEnd: bigint;
  const len32 = r.u32('CIE length');
  if (len32 !== 0xffffffff) {
    cieEnd = wrap64(r.addr + BigInt(len32));
    const id = r.u32('CIE_id');
    if (id !== (isDebugFrame ? 0xffffffff : 0)) {
      fail(
        UnwCode.BAD_CFI,
        `${mem.name}: CIE at 0x${addr.toString(16)}: unexpected CIE_id 0x${id.toString(16)}`,
      );
    }
  } else {
    const len = r.u64('CIE length (64-bit)');
    cieEnd = wrap64(r.addr + len);
    const id = r.u64('CIE_id');
    if (id !== (isDebugFrame ? 0xffffffffffffffffn : 0n)) {
      fail(
        UnwCode.BAD_CFI,
        `${mem.name}: CIE at 0x${addr.toString(16)}: unexpected CIE_id 0x${id.toString(16)}`,
      );
    }
  }
  const version = r.u8('CIE version');
  if (version !== 1 && version !== 3) {
    fail(
      UnwCode.BAD_CFI,
      `${mem.name}: CIE at 0x${addr.toString(16)}: version ${version}, libunwind takes 1 or 3`,
    );
  }
  let aug = '';
  for (let n = 0; ; n++) {
    if (n > MAX_AUGMENTATION)
      fail(
        UnwCode.BAD_CFI,
        `${mem.name}: CIE at 0x${addr.toString(16)}: unterminated augmentation`,
      );
    const ch = r.u8('CIE augmentation');
    if (ch === 0) break;
    if (aug.length < 4) aug += String.fromCharCode(ch);
  }
  const codeAlign = r.uleb('code_alignment_factor');
  const dataAlign = BigInt.asIntN(64, r.sleb('data_alignment_factor'));
  const raColumn =
    version === 1
      ? r.u8('return_address_register')
      : Number(r.uleb('return_address_register') & 0xffffffffn);
  let sized = false;
  let signalFrame = false;
  let i = 0;
  if (aug[0] === 'z') {
    sized = true;
    r.uleb('augmentation length');
    i = 1;
  }
  scan: for (; i < aug.length; i++) {
    switch (aug[i]) {
      case 'L':
        lsdaEncoding = r.u8('LSDA encoding');
        break;
      case 'R':
        fdeEncoding = r.u8('FDE encoding');
        break;
      case 'P': {
        const enc = r.u8('personality encoding');
        r.encoded(enc, ctx, 'personality routine');
        break;
      }
      case 'S':
        signalFrame = true;
        break;
      default:
        // libunwind stops at an unknown letter; instructions then start where it stopped.
        if (sized) break scan;
        fail(
          UnwCode.BAD_CFI,
          `${mem.name}: CIE at 0x${addr.toString(16)}: unknown augmentation '${aug}'`,
        );
    }
  }
  return {
    version,
    codeAlign,
    dataAlign,
    raColumn,
    fdeEncoding,
    lsdaEncoding,
    sizedAugmentation: sized,
    signalFrame,
    instrStart: r.addr,
    instrEnd: cieEnd,
  };
}

/**
 * dwarf_extract_proc_info_from_fde. Returns undefined for a zero terminator or when the entry is
 * a CIE (libunwind then reports "no info" for the lookup).
 * `base`: the .debug_frame section address (CIE pointers are relative to it), 0 for .eh_frame.
 */
export function parseFde(
  mem: CfiMemory,
  addr: bigint,
  isDebugFrame: boolean,
  base: bigint,
): ProcInfo | undefined {
  const r = new CfiReader(mem, addr);
  let fdeEnd: bigint;
  let cieAddr: bigint;
  const len32 = r.u32('FDE length');
  if (len32 !== 0xffffffff) {
    if (len32 === 0) return undefined;
    fdeEnd = wrap64(r.addr + BigInt(len32));
    const ptrAt = r.addr;
    const ciePtr = r.s32('CIE_pointer');
    if (isDebugFrame ? ciePtr === -1 : ciePtr === 0) return undefined;
    cieAddr = isDebugFrame ? wrap64(base + BigInt(ciePtr >>> 0)) : wrap64(ptrAt - BigInt(ciePtr));
  } else {
    const len = r.u64('FDE length (64-bit)');
    fdeEnd = wrap64(r.addr + len);
    const ptrAt = r.addr;
    const ciePtr = r.s64('CIE_pointer');
    if (isDebugFrame ? ciePtr === -1n || ciePtr === 0xffffffffn : ciePtr === 0n) return undefined;
    cieAddr = isDebugFrame ? wrap64(base + ciePtr) : wrap64(ptrAt - ciePtr);
  }
  const ctx: EncodingContext = { gp: 0n, startIp: 0n };
  const cie = parseCie(mem, cieAddr, isDebugFrame, ctx);
  const startIp = r.encoded(cie.fdeEncoding, ctx, 'FDE initial_location');
  const range = r.encoded(cie.fdeEncoding & 0x0f, ctx, 'FDE address_range');
  let augEnd = 0n;
  if (cie.sizedAugmentation) {
    const augSize = r.uleb('FDE augmentation length');
    augEnd = wrap64(r.addr + augSize);
  }
  r.encoded(cie.lsdaEncoding, { gp: 0n, startIp }, 'FDE LSDA pointer');
  return {
    startIp,
    endIp: wrap64(startIp + range),
    cie,
    instrStart: cie.sizedAugmentation ? augEnd : r.addr,
    instrEnd: fdeEnd,
    mem,
    gp: 0n,
  };
}
