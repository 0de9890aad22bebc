/**
 * A malformed DWARF/CFI structure: names the section, the byte offset in it and the field, so a
 * report about a corrupt file can be acted on.
 */
export class DwarfFormatError extends Error {
  constructor(
    readonly section: string,
    readonly offset: number | bigint,
    readonly field: string,
    detail: string,
  ) {
    super(`${section}: byte offset 0x${offset.toString(16)} (${field}): ${detail}`);
    this.name = 'DwarfFormatError';
  }
}
