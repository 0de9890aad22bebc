/**
 * objdump's `-l -d --no-show-raw-insn -C` output read for the app: instructions with the source
 * line objdump found for each in the DWARF line table (it reads detached debug info too), the
 * function that line belongs to (inlined code names its own), and where jumps go.
 *
 *   0000000000001169 <leaf_work>:
 *   leaf_work():                         the function of the lines below (C++: `f(int) const:`)
 *   /tmp/perfreal/src/recurse.c:16       the source line of the instructions below
 *       1169:→mov    %rdi,%rax
 *   lcg():                               inlined: lines of another function
 *   /tmp/perfreal/src/common.h:17 (discriminator 1)
 *       1185:→imul   %rsi,%rax
 *       118f:→jne    1185 <leaf_work+0x1c>
 *       1191:→mov    0x2eb8(%rip),%rdx        # 4050 <sink>   (after "#": data, not a jump)
 */
import { expandTabs } from './perf-listing';

export interface ListedInstruction {
  address: bigint;
  text: string;
  /** Where the instruction jumps or calls, when it names an address. */
  target?: bigint;
  file?: string;
  line?: number;
  /** The function objdump names for the line. */
  func?: string;
}

const INSTRUCTION = /^ *([0-9a-f]+):\t(.*)$/;
const FILE_LINE = /^(.*\S):(\d+)(?: \(discriminator \d+\))?$/;
/** `leaf_work():` (C) or `geometry::Circle::area(int) const:` (C++, demangled). */
const FUNCTION = /^(\S.*\).*):$/;
const NOT_FUNCTION = /^(Disassembly of section |[0-9a-f]+ <)/;
/** An address operand: `1185 <leaf_work+0x1c>`, before any `#` comment. */
const TARGET = /(?:^|[\s,*])([0-9a-f]+) <[^>]*>/;

export function listInstructions(output: string): ListedInstruction[] {
  const out: ListedInstruction[] = [];
  let file: string | undefined;
  let line: number | undefined;
  let func: string | undefined;
  for (const raw of output.split('\n')) {
    const ins = INSTRUCTION.exec(raw);
    if (ins) {
      const text = expandTabs(ins[2]!).trimEnd();
      const operands = text.split('#')[0]!;
      const target = TARGET.exec(operands.replace(/^\S+\s*/, ' '));
      out.push({
        address: BigInt(`0x${ins[1]}`),
        text,
        ...(target ? { target: BigInt(`0x${target[1]}`) } : {}),
        ...(file !== undefined ? { file, line } : {}),
        ...(func !== undefined ? { func } : {}),
      });
      continue;
    }
    const fl = FILE_LINE.exec(raw);
    if (fl && !raw.startsWith(' ')) {
      file = fl[1]!;
      line = Number(fl[2]);
      continue;
    }
    const fn = FUNCTION.exec(raw);
    if (fn && !NOT_FUNCTION.test(raw)) func = fn[1]!.replace(/\(\)$/, '');
  }
  return out;
}
