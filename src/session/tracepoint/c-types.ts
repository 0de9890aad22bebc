import { u64 } from './c-number';

/**
 * eval_type_str(): what a cast in a print fmt does to a value. libtraceevent only narrows the
 * fixed-size integer types (and never sign-extends, even for s8/s16/s32: it masks); every other
 * type, pointers and structs included, leaves the value as it is.
 * With `pointer`, the type is the pointee of a `(type *)` cast used with an index.
 */
export function castValue(value: bigint, type: string, pointer: boolean): bigint {
  const val = u64(value);
  if (type.length < 2) return val;
  if (pointer) {
    if (!type.endsWith('*')) return val;
    // Chops the " *" off the end.
    return castValue(val, type.slice(0, -2), false);
  }
  if (type.endsWith('*') || type.startsWith('struct')) return val;
  let t = type;
  switch (t) {
    case 'u8':
    case 's8':
      return val & 0xffn;
    case 'u16':
    case 's16':
      return val & 0xffffn;
    case 'u32':
    case 's32':
      return val & 0xffffffffn;
    case 'u64':
    case 's64':
      return val;
  }
  if (t.startsWith('unsigned ')) t = t.slice(9);
  switch (t) {
    case 'char':
      return val & 0xffn;
    case 'short':
      return val & 0xffffn;
    case 'int':
      return val & 0xffffffffn;
    default:
      return val;
  }
}
