/** perf_reg_value(): a register of a sample's user registers by perf register index. */
import { bigFromHalves } from '../../perf-data/u64.js';
import type { UserRegs } from './types.js';

export function perfRegValue(regs: UserRegs, id: number): bigint | undefined {
  if (id < 0 || id > 63 || ((regs.mask >> BigInt(id)) & 1n) === 0n) return undefined;
  let index = 0;
  for (let bit = 0; bit < id; bit++) if ((regs.mask >> BigInt(bit)) & 1n) index++;
  const lo = regs.values[2 * index];
  const hi = regs.values[2 * index + 1];
  if (lo === undefined || hi === undefined) return undefined;
  return bigFromHalves(lo, hi);
}
