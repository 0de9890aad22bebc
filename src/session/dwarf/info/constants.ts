/** DWARF 2-5 numbers the inline-frame reader needs (DWARF 5 section 7). */
export const DW_TAG_entry_point = 0x03;
export const DW_TAG_compile_unit = 0x11;
export const DW_TAG_inlined_subroutine = 0x1d;
export const DW_TAG_subprogram = 0x2e;
export const DW_TAG_partial_unit = 0x3c;
export const DW_TAG_skeleton_unit = 0x4a;

export const DW_AT_name = 0x03;
export const DW_AT_low_pc = 0x11;
export const DW_AT_high_pc = 0x12;
export const DW_AT_language = 0x13;
export const DW_AT_abstract_origin = 0x31;
export const DW_AT_specification = 0x47;
export const DW_AT_ranges = 0x55;
export const DW_AT_linkage_name = 0x6e;
export const DW_AT_str_offsets_base = 0x72;
export const DW_AT_addr_base = 0x73;
export const DW_AT_rnglists_base = 0x74;
export const DW_AT_MIPS_linkage_name = 0x2007;
export const DW_AT_GNU_addr_base = 0x2133;
export const DW_AT_GNU_ranges_base = 0x2132;

export const DW_FORM_addr = 0x01;
export const DW_FORM_block2 = 0x03;
export const DW_FORM_block4 = 0x04;
export const DW_FORM_data2 = 0x05;
export const DW_FORM_data4 = 0x06;
export const DW_FORM_data8 = 0x07;
export const DW_FORM_string = 0x08;
export const DW_FORM_block = 0x09;
export const DW_FORM_block1 = 0x0a;
export const DW_FORM_data1 = 0x0b;
export const DW_FORM_flag = 0x0c;
export const DW_FORM_sdata = 0x0d;
export const DW_FORM_strp = 0x0e;
export const DW_FORM_udata = 0x0f;
export const DW_FORM_ref_addr = 0x10;
export const DW_FORM_ref1 = 0x11;
export const DW_FORM_ref2 = 0x12;
export const DW_FORM_ref4 = 0x13;
export const DW_FORM_ref8 = 0x14;
export const DW_FORM_ref_udata = 0x15;
export const DW_FORM_indirect = 0x16;
export const DW_FORM_sec_offset = 0x17;
export const DW_FORM_exprloc = 0x18;
export const DW_FORM_flag_present = 0x19;
export const DW_FORM_strx = 0x1a;
export const DW_FORM_addrx = 0x1b;
export const DW_FORM_ref_sup4 = 0x1c;
export const DW_FORM_strp_sup = 0x1d;
export const DW_FORM_data16 = 0x1e;
export const DW_FORM_line_strp = 0x1f;
export const DW_FORM_ref_sig8 = 0x20;
export const DW_FORM_implicit_const = 0x21;
export const DW_FORM_loclistx = 0x22;
export const DW_FORM_rnglistx = 0x23;
export const DW_FORM_ref_sup8 = 0x24;
export const DW_FORM_strx1 = 0x25;
export const DW_FORM_strx2 = 0x26;
export const DW_FORM_strx3 = 0x27;
export const DW_FORM_strx4 = 0x28;
export const DW_FORM_addrx1 = 0x29;
export const DW_FORM_addrx2 = 0x2a;
export const DW_FORM_addrx3 = 0x2b;
export const DW_FORM_addrx4 = 0x2c;
export const DW_FORM_GNU_addr_index = 0x1f01;
export const DW_FORM_GNU_str_index = 0x1f02;
export const DW_FORM_GNU_ref_alt = 0x1f20;
export const DW_FORM_GNU_strp_alt = 0x1f21;

/* DW_LANG_* that binutils' mangle_style() maps to 0: a plain DW_AT_name is then a linkage name. */
export const PLAIN_NAME_LANGUAGES = new Set([
  0x0001, // C89
  0x0002, // C
  0x0005, // Cobol74
  0x0006, // Cobol85
  0x0007, // Fortran77
  0x0009, // Pascal83
  0x000a, // PLI
  0x000c, // C99
  0x0012, // UPC
  0x001d, // C11
  0x8001, // Mips_Assembler
  0x8765, // Upc (GNU)
  0x8006, // HP_Basic91
  0x8008, // HP_IMacro
  0x8009, // HP_Assembler
]);

/* Range list entries (.debug_rnglists, DWARF 5 section 7.25). */
export const DW_RLE_end_of_list = 0;
export const DW_RLE_base_addressx = 1;
export const DW_RLE_startx_endx = 2;
export const DW_RLE_startx_length = 3;
export const DW_RLE_offset_pair = 4;
export const DW_RLE_base_address = 5;
export const DW_RLE_start_end = 6;
export const DW_RLE_start_length = 7;
