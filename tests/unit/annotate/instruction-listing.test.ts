import { describe, expect, it } from 'vitest';
import { listInstructions } from '../../../src/session/annotate/instruction-listing';

/** objdump -l -d --no-show-raw-insn -C, as binutils 2.40 prints it (tabs as in the original). */
const OUTPUT = [
  '',
  'bin/prog:     file format elf64-x86-64',
  '',
  '',
  'Disassembly of section .text:',
  '',
  '00000000000020d0 <geometry::Circle::area(int) const>:',
  'geometry::Circle::area(int) const:',
  '/src/shapes.cpp:12',
  '    20d0:\ttest   %esi,%esi',
  '    20d2:\tjle    212d <geometry::Circle::area(int) const+0x5d>',
  'lcg():',
  '/src/common.h:17 (discriminator 3)',
  '    20d4:\tmov    0x2eb8(%rip),%rdx        # 4050 <sink>',
  '    20db:\tcall   *0x8(%rax)',
  '    20de:\tcall   1169 <leaf_work>',
  '',
].join('\n');

describe("the app's reading of objdump -l", () => {
  it('gives each instruction its source line, its function and where it jumps', () => {
    const got = listInstructions(OUTPUT).map((i) => ({
      ...i,
      address: i.address.toString(16),
      target: i.target?.toString(16),
    }));
    const area = 'geometry::Circle::area(int) const';
    expect(got).toEqual([
      { address: '20d0', text: 'test   %esi,%esi', file: '/src/shapes.cpp', line: 12, func: area },
      {
        address: '20d2',
        text: 'jle    212d <geometry::Circle::area(int) const+0x5d>',
        target: '212d',
        file: '/src/shapes.cpp',
        line: 12,
        func: area,
      },
      // the data address after "#" is not a jump
      {
        address: '20d4',
        text: 'mov    0x2eb8(%rip),%rdx        # 4050 <sink>',
        target: undefined,
        file: '/src/common.h',
        line: 17,
        func: 'lcg',
      },
      {
        address: '20db',
        text: 'call   *0x8(%rax)',
        target: undefined,
        file: '/src/common.h',
        line: 17,
        func: 'lcg',
      },
      {
        address: '20de',
        text: 'call   1169 <leaf_work>',
        target: '1169',
        file: '/src/common.h',
        line: 17,
        func: 'lcg',
      },
    ]);
  });
});
