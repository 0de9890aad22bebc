/**
 * What libtraceevent prints for an event whose print fmt it could not use:
 * "[FAILED TO PARSE]" followed by " name=value" for each of the event's own fields
 * (pretty_print -> tep_print_fields -> print_field_raw).
 */
import { formatInteger, parseConversionSpec } from './c-printf';
import type { TracepointField, TracepointFormat } from './event-format';
import { isPrint } from './format-tokenizer';
import type { SampleData } from './sample-data';

const spec = (s: string) => parseConversionSpec(s);
const INT = spec('%d');
const SHORT2 = spec('%2d');
const CHAR1 = spec('%1d');

function isPrintableArray(sample: SampleData, offset: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const c = sample.byte(offset + i);
    if (c === 0) break;
    if (!isPrint(c) && !(c === 0x20 || (c >= 0x09 && c <= 0x0d))) return false;
  }
  return true;
}

/** print_field_raw(): one field's value without the print fmt. */
export function rawFieldText(sample: SampleData, field: TracepointField): string {
  if (field.isArray) {
    const { offset, length } = field.isDynamic
      ? sample.dynamicLocation(field)
      : { offset: field.offset, length: field.size };
    if (field.isString && isPrintableArray(sample, offset, length)) {
      return sample.cString(offset);
    }
    const bytes: string[] = [];
    for (let i = 0; i < length; i++) {
      bytes.push(
        sample
          .byte(offset + i)
          .toString(16)
          .padStart(2, '0'),
      );
    }
    // libtraceevent stops treating the field as text from now on.
    field.isString = false;
    return `ARRAY[${bytes.join(', ')}]`;
  }
  const val =
    field.offset + field.size <= sample.size ? sample.readNumber(field.offset, field.size) : 0n;
  if (field.isPointer) return '0x' + val.toString(16);
  if (field.signed) {
    switch (field.size) {
      case 4:
        return field.isLong
          ? '0x' + BigInt.asUintN(32, val).toString(16)
          : formatInteger(INT, val, 32);
      case 2:
        return formatInteger(SHORT2, BigInt.asIntN(16, val), 32);
      case 1:
        return formatInteger(CHAR1, BigInt.asIntN(8, val), 32);
      default:
        return BigInt.asIntN(64, val).toString();
    }
  }
  return field.isLong ? '0x' + val.toString(16) : val.toString();
}

/** The whole line of a FAILED event. */
export function failedEventText(sample: SampleData, format: TracepointFormat): string {
  let out = '[FAILED TO PARSE]';
  for (const field of format.fields) out += ` ${field.name}=${rawFieldText(sample, field)}`;
  return out;
}
