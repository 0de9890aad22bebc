/**
 * unw_step and unw_is_signal_frame of libunwind 1.6 for x86_64 (src/x86_64/Gstep.c,
 * Gos-linux.c), and a DWARF-only step for the other architectures.
 *
 * x86_64 rules:
 * - after a successful DWARF step, an undefined rbp location ends the chain;
 * - when no FDE covers the ip (UNW_ENOINFO only; any other error ends the chain): a
 *   signal-return trampoline is unwound through its ucontext, a classic PLT stub as
 *   "CFA = rsp + 8, return address at [rsp]", else a frame-pointer guess from rbp, accepted
 *   only when rbp lies above the CFA by at most 0x4000 and [rbp] is readable.
 */
import { wrap64 } from '../cfi/cfi-memory.js';
import { UnwCode, UnwindFailure } from '../cfi/unwind-failure.js';
import { NULL_LOC, type Cursor, type Loc } from './cursor.js';

/** Result of one step: > 0 a caller frame, 0 the end, < 0 an error (perf stops either way). */
export type StepResult = number;

/** `mov $15,%rax; syscall` (__restore_rt) as the first 9 bytes at ip. */
const X86_SIGRETURN_W0 = 0x0f0000000fc0c748n;
/** aarch64 `mov x8, #139; svc #0`. */
const A64_SIGRETURN = 0xd4000001d2801168n;

export function isSignalFrame(c: Cursor): boolean {
  const w0 = c.mem.word(c.ip);
  if (w0 === undefined) return false;
  if (c.arch.name === 'aarch64') return w0 === A64_SIGRETURN;
  const w1 = c.mem.word(wrap64(c.ip + 8n));
  if (w1 === undefined) return false;
  return w0 === X86_SIGRETURN_W0 && (w1 & 0xffn) === 0x05n;
}

/** `jmp *disp(%rip); push $n; jmp plt0` */
function isPltEntry(c: Cursor): boolean {
  const w0 = c.mem.word(c.ip);
  const w1 = c.mem.word(wrap64(c.ip + 8n));
  if (w0 === undefined || w1 === undefined) return false;
  return (
    (w0 & 0xffffn) === 0x25ffn && ((w0 >> 48n) & 0xffn) === 0x68n && ((w1 >> 24n) & 0xffn) === 0xe9n
  );
}

export function unwStep(c: Cursor): StepResult {
  let ret: number;
  try {
    ret = c.dwarfStep();
  } catch (e) {
    if (!(e instanceof UnwindFailure)) throw e;
    if (e.code !== UnwCode.NO_INFO || c.arch.name !== 'x86_64') return -1;
    return x86Fallback(c);
  }
  const fp = c.arch.fp;
  if (fp !== undefined && c.loc[fp]!.kind === 'null') {
    c.ip = 0n;
    return 0;
  }
  return ret;
}

/* x86_64 libunwind register numbers. */
const RBP = 6;
const RSP = 7;
const RIP = 16;
/* struct ucontext: uc_mcontext.gregs[] at 40; order R8..R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP, RIP. */
const UC_GREGS = 0x28n;
const GREG_OF: Record<number, number> = {
  0: 13,
  1: 12,
  2: 14,
  3: 11,
  4: 9,
  5: 8,
  6: 10,
  7: 15,
  16: 16,
};

function x86Fallback(c: Cursor): StepResult {
  const prevIp = c.ip;
  const prevCfa = c.cfa;
  let ret = -1;
  try {
    if (isSignalFrame(c)) {
      const uc = c.cfa;
      const mem = (greg: number): Loc => ({
        kind: 'mem',
        addr: wrap64(uc + UC_GREGS + BigInt(greg) * 8n),
      });
      c.cfa = c.get(mem(15));
      for (let r = 0; r <= 16; r++) c.loc[r] = mem(r >= 8 && r <= 15 ? r - 8 : GREG_OF[r]!);
      ret = 0;
    } else if (isPltEntry(c)) {
      c.loc[RIP] = { kind: 'mem', addr: c.cfa };
      c.cfa = wrap64(c.cfa + 8n);
    } else if (c.loc[RBP]!.kind === 'null') {
      for (let i = 0; i < c.arch.preserved; i++) c.loc[i] = NULL_LOC;
    } else {
      const rbp = c.get(c.loc[RBP]!);
      let rbpLoc: Loc = NULL_LOC;
      let rspLoc: Loc = NULL_LOC;
      let ripLoc: Loc = NULL_LOC;
      if (rbp !== 0n) {
        rbpLoc = { kind: 'mem', addr: rbp };
        rspLoc = { kind: 'val', value: wrap64(rbp + 16n) };
        ripLoc = { kind: 'mem', addr: wrap64(rbp + 8n) };
        const readable = c.mem.word(rbp) !== undefined;
        if (!readable || rbp < c.cfa || rbp - c.cfa > 0x4000n) {
          ripLoc = NULL_LOC;
          rbpLoc = NULL_LOC;
        }
        c.cfa = wrap64(c.cfa + 16n);
      }
      for (let i = 0; i < c.arch.preserved; i++) c.loc[i] = NULL_LOC;
      c.loc[RBP] = rbpLoc;
      c.loc[RSP] = rspLoc;
      c.loc[RIP] = ripLoc;
      c.usePrevInstr = true;
    }
    if (c.loc[RBP]!.kind === 'null') return 0;
    if (c.loc[RIP]!.kind !== 'null') {
      c.ip = c.get(c.loc[RIP]!);
      ret = 1;
    } else c.ip = 0n;
  } catch (e) {
    if (e instanceof UnwindFailure) return -1;
    throw e;
  }
  if (c.ip === prevIp && c.cfa === prevCfa) return -1;
  return ret;
}
