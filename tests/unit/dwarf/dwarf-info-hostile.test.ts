/** Corrupt .debug_info/.debug_abbrev/.debug_rnglists must give "no information", never a throw or a hang. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineChain } from '../../../src/session/dwarf/index';
import { ElfFile } from '../../../src/session/symbols/elf/elf-file';
import type { ElfSection, ElfSections } from '../../../src/session/symbols/elf/types';
import { FIXTURES } from '../../support/recordings';

const FUZZED = new Set(['.debug_info', '.debug_abbrev', '.debug_rnglists', '.debug_str_offsets']);

/** A copy of `elf` whose DWARF sections have random bytes replaced. */
function corrupted(elf: ElfFile, rand: () => number): ElfSections {
  const sections: ElfSection[] = elf.sections.map((s) => {
    if (!FUZZED.has(s.name)) return s;
    const bytes = Uint8Array.from(s.data());
    for (let i = 0; i < bytes.length; i++) if (rand() % 16 === 0) bytes[i] = rand() & 0xff;
    return { ...s, data: () => bytes };
  });
  return {
    is64: elf.is64,
    littleEndian: elf.littleEndian,
    machine: elf.machine,
    type: elf.type,
    sections,
    programHeaders: elf.programHeaders,
    section: (name) => sections.find((s, i) => i > 0 && s.name === name),
  };
}

describe('inline chains on corrupt DWARF', () => {
  it('answers every address of a fuzzed file without throwing', () => {
    const elf = ElfFile.open(
      join(FIXTURES, 'real', 'symfs', 'tmp', 'perfreal', 'bin', 'cxx_templates'),
    );
    let seed = 4242;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    };
    let answered = 0;
    for (let round = 0; round < 20; round++) {
      const bad = corrupted(elf, rand);
      for (let a = 0x1140n; a < 0x2b31n; a += 0x17n) {
        const chain = inlineChain(bad, a);
        if (chain) {
          answered++;
          expect(chain.length).toBeLessThanOrEqual(1024);
        }
      }
    }
    expect(answered).toBeGreaterThan(0); // the symbol-table fallback still names functions
    elf.close();
  });
});
