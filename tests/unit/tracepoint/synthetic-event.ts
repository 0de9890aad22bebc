/**
 * TEST SUPPORT ONLY. Builds event format texts and RAW records by hand, for unit tests of the
 * print fmt evaluator.
 */
import {
  parseEventFormat,
  type TraceContext,
  type TracepointFormat,
} from '../../../src/session/tracepoint';

export const COMMON_FIELDS = [
  '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;',
  '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;',
  '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;',
  '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;',
];

export const CONTEXT: TraceContext = {
  longSize: 8,
  fileBigEndian: false,
  printkStrings: new Map([[0xffffffff8281b755n, 'rcu_preempt']]),
};

/** `fields` are the lines after the common fields, e.g. "field:int pid;\toffset:8;\tsize:4;\tsigned:1;". */
export function eventFormatText(fields: readonly string[], printFmt: string, id = 42): string {
  return [
    'name: test_event',
    `ID: ${id}`,
    'format:',
    ...COMMON_FIELDS,
    '',
    ...fields.map((f) => `\t${f}`),
    '',
    `print fmt: ${printFmt}`,
    '',
  ].join('\n');
}

export function makeEvent(
  fields: readonly string[],
  printFmt: string,
  context: TraceContext = CONTEXT,
): TracepointFormat {
  return parseEventFormat(eventFormatText(fields, printFmt), 'test', context);
}

/** A little-endian RAW record of `size` bytes with common_type 42, writable by offset. */
export class RecordBuilder {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    size: number,
    private readonly le = true,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.u16(0, 42).i32(4, 1234);
  }

  u8(offset: number, v: number): this {
    this.view.setUint8(offset, v);
    return this;
  }
  u16(offset: number, v: number): this {
    this.view.setUint16(offset, v, this.le);
    return this;
  }
  i32(offset: number, v: number): this {
    this.view.setInt32(offset, v, this.le);
    return this;
  }
  u32(offset: number, v: number): this {
    this.view.setUint32(offset, v, this.le);
    return this;
  }
  u64(offset: number, v: bigint): this {
    this.view.setBigUint64(offset, BigInt.asUintN(64, v), this.le);
    return this;
  }
  bytesAt(offset: number, data: readonly number[]): this {
    this.bytes.set(data, offset);
    return this;
  }
  str(offset: number, s: string): this {
    this.bytes.set(new TextEncoder().encode(s), offset);
    return this;
  }
  /** A __data_loc u32 at `offset` pointing to `data` stored at `dataOffset`. */
  dataLoc(offset: number, dataOffset: number, data: readonly number[] | string): this {
    const bytes = typeof data === 'string' ? [...new TextEncoder().encode(data), 0] : data;
    this.u32(offset, (bytes.length << 16) | dataOffset);
    this.bytes.set(bytes, dataOffset);
    return this;
  }
}
