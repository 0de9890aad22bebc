/**
 * Register numbering per architecture: libunwind's register numbers (= DWARF numbers for the
 * tracked registers) and perf's PERF_REG_* indexes that perf's access_reg maps them to
 * (LIBUNWIND__ARCH_REG_ID in tools/perf/arch/<arch>/util/unwind-libunwind.c).
 */
export interface UnwindArch {
  name: string;
  /** DWARF_NUM_PRESERVED_REGS: CFI naming a register at or above it fails the step. */
  preserved: number;
  /** libunwind numbers of the stack pointer, the ip slot and (x86_64) the frame pointer. */
  sp: number;
  ip: number;
  fp: number | undefined;
  /** perf register index per libunwind register number (-1: perf cannot read it). */
  perfReg: readonly number[];
  perfSp: number;
  perfIp: number;
}

/*
 * x86_64 DWARF numbers: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15,
 * 16 return address (rip). PERF_REG_X86_*: AX 0, BX 1, CX 2, DX 3, SI 4, DI 5, BP 6, SP 7, IP 8,
 * FLAGS 9, CS 10, SS 11, DS 12, ES 13, FS 14, GS 15, R8-R15 16-23.
 */
export const X86_64: UnwindArch = {
  name: 'x86_64',
  preserved: 17,
  sp: 7,
  ip: 16,
  fp: 6,
  perfReg: [0, 3, 2, 1, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 8],
  perfSp: 7,
  perfIp: 8,
};

/*
 * aarch64 DWARF numbers: x0-x30 0-30, sp 31; libunwind's pc is 32. PERF_REG_ARM64_*: X0-X30
 * 0-30, SP 31, PC 32. libunwind tracks 97 columns (v0-v31 at 64-95); perf cannot read those.
 */
export const AARCH64: UnwindArch = {
  name: 'aarch64',
  preserved: 97,
  sp: 31,
  ip: 32,
  fp: undefined,
  perfReg: Array.from({ length: 97 }, (_, i) => (i <= 32 ? i : -1)),
  perfSp: 31,
  perfIp: 32,
};

export function archByName(arch: string): UnwindArch | undefined {
  if (arch === 'x86_64' || arch === 'x86-64' || arch === 'amd64') return X86_64;
  if (arch === 'aarch64' || arch === 'arm64') return AARCH64;
  return undefined;
}
