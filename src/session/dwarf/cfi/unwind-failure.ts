/**
 * Why one unwind step failed, in libunwind's terms: perf keeps stepping only while steps succeed,
 * and libunwind's x86_64 step treats "no unwind info" (UNW_ENOINFO) differently from every other
 * error (it then tries its frame-chain heuristics).
 */
export const UnwCode = {
  /** A memory or register read failed (perf's access_mem/access_reg returned an error). */
  READ: 'read',
  /** No FDE covers the address (UNW_ENOINFO). */
  NO_INFO: 'no-info',
  /** perf's find_proc_info found no map / no .eh_frame_hdr (-EINVAL, not UNW_ENOINFO). */
  NO_TABLE: 'no-table',
  /** Malformed CFI or an unsupported construct (UNW_EINVAL, UNW_EBADVERSION, UNW_EBADREG...). */
  BAD_CFI: 'bad-cfi',
  /** ip and CFA did not change (UNW_EBADFRAME). */
  BAD_FRAME: 'bad-frame',
} as const;
export type UnwCode = (typeof UnwCode)[keyof typeof UnwCode];

export class UnwindFailure extends Error {
  constructor(
    readonly code: UnwCode,
    message: string,
  ) {
    super(message);
    this.name = 'UnwindFailure';
  }
}

export function fail(code: UnwCode, message: string): never {
  throw new UnwindFailure(code, message);
}
