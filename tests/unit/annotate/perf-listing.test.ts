import { describe, expect, it } from 'vitest';
import {
  expandTabs,
  perfListing,
  strim,
  strtoull16,
} from '../../../src/session/annotate/perf-listing';
import { SymHist } from '../../../src/session/annotate/sym-hist';
import { printAnnotation } from '../../../src/session/annotate/stdio-print';

/** Lines as `offset|lineNr|text`, the compact form of a listing. */
function compact(output: string, start = 0x1169n, end = 0x11a3n): string[] {
  return perfListing(output, 'bin/prog', start, end).map(
    (l) => `${l.offset}|${l.lineNr}|${l.text}`,
  );
}

describe("perf's reading of objdump output", () => {
  it('drops the line naming the file, hides /file:N lines, counts every other line', () => {
    const out = [
      '',
      'bin/prog:     file format elf64-x86-64',
      '',
      'Disassembly of section .text:',
      '',
      '0000000000001169 <leaf_work>:',
      'leaf_work():',
      '/src/recurse.c:16',
      '    1169:\tmov    %rdi,%rax',
      '/src/recurse.c:17 (discriminator 2)',
      '    116c:\tmov    $0x4e20,%edx',
      '',
    ].join('\n');
    expect(compact(out)).toEqual([
      '-1|0|',
      '-1|1|',
      '-1|2|Disassembly of section .text:',
      '-1|3|',
      '-1|4|0000000000001169 <leaf_work>:',
      '-1|5|leaf_work():',
      '0|16|   mov    %rdi,%rax',
      '3|17|   mov    $0x4e20,%edx',
    ]);
  });

  it('takes any line starting /path:DIGITS as a line number, source comments included', () => {
    // objdump -S prints source lines; "// a.c:12" and "/* x:3 */" start with a slash
    expect(compact('// see a.c:12 here\n/* x: 3 */\n  add: y\n')).toEqual([
      '-1|12|/* x: 3 */',
      '-1|13|add: y',
    ]);
    expect(compact('/* x:3 */\nfoo\n')).toEqual(['-1|3|foo']);
  });

  it('reads a hex number before ":" as an address, only inside the symbol', () => {
    // "add" is hex: a source line "add: y" would be an instruction at 0xadd if that were inside
    expect(compact('  add: y\n', 0xa00n, 0xb00n)).toEqual(['221|0| y']);
    expect(compact('  add: y\n', 0x1169n, 0x11a3n)).toEqual(['-1|0|add: y']);
    // an address with nothing after the colon is not an instruction
    expect(compact('    1169:\t\n')).toEqual(['-1|0|1169:']);
    expect(compact('    11a3:\tret\n')).toEqual(['-1|0|11a3:   ret']);
  });

  it("has C's strtoull and the kernel's strim and perf's tab expansion", () => {
    expect(strtoull16('  0x1f: x')).toEqual({ value: 0x1fn, end: 6 });
    expect(strtoull16('0x: x')).toEqual({ value: 0n, end: 1 });
    expect(strtoull16('-1:')).toEqual({ value: (1n << 64n) - 1n, end: 2 });
    expect(strtoull16('ffffffffffffffffff:')).toEqual({ value: (1n << 64n) - 1n, end: 18 });
    expect(strtoull16('zz')).toEqual({ value: 0n, end: 0 });
    expect(strim(' \t a b \r\n')).toBe('a b');
    expect(expandTabs('8dd50:\tmov\t%x')).toBe('8dd50:  mov     %x');
  });
});

describe('perf annotate --stdio printing', () => {
  it('gives an instruction the samples up to the next instruction, and widths by bytes', () => {
    const listing = perfListing(
      '0000000000001000 <f>:\n    1000:\tnop\n    1001:\tret\n',
      'x',
      0x1000n,
      0x1004n,
    );
    const hist = new SymHist();
    hist.add(0, 1);
    hist.add(2, 1); // inside ret's bytes (or past it): counted for ret
    hist.add(3, 2);
    const text = printAnnotation({
      dsoName: 'lïb.so',
      eventName: 'cpu-clock',
      hist,
      listing,
      start: 0x1000n,
      size: 4,
      showNrSamples: false,
    });
    const header =
      ' Percent |\tSource code & Disassembly of l\u00c3\u00afb.so for cpu-clock (3 samples, percent: local period)\n';
    expect(text).toBe(
      header +
        '-'.repeat(header.length) +
        '----\n' +
        '         : 0    0000000000001000 <f>:\n' +
        '   25.00 :   1000:   nop\n' +
        '   75.00 :   1001:   ret\n',
    );
  });

  it('rounds like glibc (ties to even) and pads the dashes past 207', () => {
    const hist = new SymHist();
    hist.add(0, 1);
    for (let i = 0; i < 799; i++) hist.add(1, 1);
    const text = printAnnotation({
      dsoName: 'x'.repeat(200),
      eventName: 'e',
      hist,
      listing: [
        { offset: 0, text: ' a', lineNr: 0 },
        { offset: 1, text: ' b', lineNr: 1 },
      ],
      start: 0n,
      size: 2,
      showNrSamples: false,
    });
    const [header, dashes, a] = text.split('\n');
    expect(dashes).toBe('-'.repeat(207) + ' '.repeat(header!.length + 1 - 207) + '----');
    expect(a).toBe('    0.12 :   0: a'); // 1 in 800 is 0.125: glibc prints 0.12
  });
});
