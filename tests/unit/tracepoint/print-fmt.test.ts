/**
 * The print fmt evaluator on format strings: real kernel print fmts from the fixture with
 * hand-made records, then one construct at a time. Expected texts are what libtraceevent prints.
 */
import { describe, expect, it } from 'vitest';

import { formatTracepointSample } from '../../../src/session/tracepoint';
import { CONTEXT, makeEvent, RecordBuilder } from './synthetic-event';

const SCHED_SWITCH_FIELDS = [
  'field:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;',
  'field:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;',
  'field:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;',
  'field:long prev_state;\toffset:32;\tsize:8;\tsigned:1;',
  'field:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;',
  'field:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;',
  'field:int next_prio;\toffset:60;\tsize:4;\tsigned:1;',
];
// From the kernel 6.18 sched_switch format in tracepoint-sched/perf.data.
const MASK =
  '(0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040)';
const SCHED_SWITCH_FMT =
  '"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d", ' +
  `REC->prev_comm, REC->prev_pid, REC->prev_prio, (REC->prev_state & (((${MASK} + 1) << 1) - 1)) ? ` +
  `__print_flags(REC->prev_state & (((${MASK} + 1) << 1) - 1), "|", { 0x00000001, "S" }, ` +
  '{ 0x00000002, "D" }, { 0x00000004, "T" }, { 0x00000008, "t" }, { 0x00000010, "X" }, ' +
  '{ 0x00000020, "Z" }, { 0x00000040, "P" }, { 0x00000080, "I" }) : "R", ' +
  `REC->prev_state & ((${MASK} + 1) << 1) ? "+" : "", REC->next_comm, REC->next_pid, REC->next_prio`;

function schedSwitch(prevState: bigint): string {
  const event = makeEvent(SCHED_SWITCH_FIELDS, SCHED_SWITCH_FMT);
  const rec = new RecordBuilder(64)
    .str(8, 'forkexec')
    .i32(24, 28600)
    .i32(28, 120)
    .u64(32, prevState)
    .str(40, 'rcu_preempt')
    .i32(56, 15)
    .i32(60, 120);
  return formatTracepointSample(event, rec.bytes, true);
}

describe('sched_switch print fmt (kernel 6.18)', () => {
  it('prints R for a runnable task', () => {
    expect(schedSwitch(0n)).toBe(
      'prev_comm=forkexec prev_pid=28600 prev_prio=120 prev_state=R ==> next_comm=rcu_preempt next_pid=15 next_prio=120',
    );
  });
  it.each([
    [1n, 'S'],
    [2n, 'D'],
    [0x80n, 'I'],
    [0x81n, 'S|I'],
    [0x100n, 'R+'],
    [0x102n, 'D+'],
    [0x200n, 'R'],
  ])('prev_state %s prints %s', (state, text) => {
    expect(schedSwitch(state)).toContain(` prev_state=${text} ==> `);
  });
});

const EXIT_FIELDS = [
  'field:char comm[16];\toffset:8;\tsize:16;\tsigned:0;',
  'field:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;',
  'field:int prio;\toffset:28;\tsize:4;\tsigned:1;',
  'field:bool group_dead;\toffset:32;\tsize:1;\tsigned:0;',
];
const EXIT_FMT =
  '"comm=%s pid=%d prio=%d group_dead=%s", REC->comm, REC->pid, REC->prio, REC->group_dead ? "true" : "false"';

describe('sched_process_exit / exec print fmts', () => {
  it('picks the ternary branch from the field', () => {
    const event = makeEvent(EXIT_FIELDS, EXIT_FMT);
    const rec = new RecordBuilder(40).str(8, 'sh').i32(24, 28603).i32(28, 120);
    expect(formatTracepointSample(event, rec.u8(32, 1).bytes, true)).toBe(
      'comm=sh pid=28603 prio=120 group_dead=true',
    );
    expect(formatTracepointSample(event, rec.u8(32, 0).bytes, true)).toBe(
      'comm=sh pid=28603 prio=120 group_dead=false',
    );
  });

  it('stops a char[16] at its NUL and never reads past the field', () => {
    const event = makeEvent(EXIT_FIELDS, EXIT_FMT);
    const rec = new RecordBuilder(40).str(8, '0123456789abcdefXYZ').i32(24, 1);
    // The 16 bytes fill the array: the string ends with the field, not at the next NUL.
    expect(formatTracepointSample(event, rec.bytes, true)).toMatch(/^comm=0123456789abcdef pid=/);
  });

  it('reads __get_str through the __data_loc word', () => {
    const event = makeEvent(
      [
        'field:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;',
        'field:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;',
        'field:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;',
      ],
      '"filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid',
    );
    expect(event.fields[0]?.type).toBe('__data_loc char[]');
    expect(event.fields[0]?.isDynamic).toBe(true);
    const rec = new RecordBuilder(48).dataLoc(8, 20, '/bin/sh').i32(12, 7).i32(16, 7);
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('filename=/bin/sh pid=7 old_pid=7');
    // A zero-length (or out of range) dynamic string prints nothing.
    rec.u32(8, 20);
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('filename= pid=7 old_pid=7');
    rec.u32(8, (8 << 16) | 200);
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('filename= pid=7 old_pid=7');
  });

  it('decodes UTF-8 file names', () => {
    const event = makeEvent(
      ['field:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;'],
      '"filename=%s", __get_str(filename)',
    );
    const rec = new RecordBuilder(40).dataLoc(8, 12, '/tmp/é');
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('filename=/tmp/é');
  });
});

/** One-field events: `x` is a u64 at offset 8, `i` an int at 16, `s` a long at 24. */
const NUM_FIELDS = [
  'field:u64 x;\toffset:8;\tsize:8;\tsigned:0;',
  'field:int i;\toffset:16;\tsize:4;\tsigned:1;',
  'field:unsigned int u;\toffset:20;\tsize:4;\tsigned:0;',
  'field:long s;\toffset:24;\tsize:8;\tsigned:1;',
  'field:unsigned char c;\toffset:32;\tsize:1;\tsigned:0;',
];

function numbers(printFmt: string, x: bigint, i = 0, extra?: (r: RecordBuilder) => void): string {
  const event = makeEvent(NUM_FIELDS, printFmt);
  const rec = new RecordBuilder(40).u64(8, x).i32(16, i).u64(24, x);
  extra?.(rec);
  return formatTracepointSample(event, rec.bytes, true);
}

describe('integer conversions', () => {
  it.each([
    ['"%d", REC->i', 0n, -5, '-5'],
    ['"%u", REC->i', 0n, -1, '4294967295'],
    ['"%x", REC->i', 0n, -1, 'ffffffff'],
    ['"%ld", REC->s', -2n, 0, '-2'],
    ['"%lu", REC->x', -1n, 0, '18446744073709551615'],
    ['"%llx", REC->x', 0xdeadbeefcafen, 0, 'deadbeefcafe'],
    ['"%lX", REC->x', 0xabcn, 0, 'ABC'],
    ['"%d", REC->x', 0x100000001n, 0, '1'],
    ['"%08x|%-6d|%6d|", REC->i, REC->i, REC->i', 0n, 255, '000000ff|255   |   255|'],
    ['"%#x %#o %#x", REC->i, REC->i, REC->u', 0n, 8, '0x8 010 0'],
    ['"%+d %.3d", REC->i, REC->i', 0n, 7, '+7 007'],
    ['"%hhd %hu", REC->i, REC->i', 0n, 0x1ff, '-1 511'],
    ['"%c%c", REC->i, REC->c', 0n, 0x41, 'A\0'],
    ['"100%% %d", REC->i', 0n, 3, '100% 3'],
    ['"%5s|%-5s|%.2s", "ab", "cd", "xyz"', 0n, 0, '   ab|cd   |xy'],
    ['"%*d|%-*d|", 4, REC->i, 3, REC->i', 0n, 9, '   9|9  |'],
    ['"%p %p", REC->x, REC->u', 0xffff888012345678n, 0, '0xffff888012345678 (nil)'],
  ])('%s', (fmt, x, i, text) => {
    expect(numbers(fmt, x, i)).toBe(text);
  });

  it('prints an unknown conversion as >c< like libtraceevent', () => {
    expect(numbers('"a=%f b=%d", REC->i, REC->i', 0n, 4)).toBe('a=>f< b=4');
  });

  it('marks an event with too few arguments FAILED and prints raw fields', () => {
    expect(numbers('"%d %d", REC->i', 1n, -3)).toBe('[FAILED TO PARSE] x=1 i=-3 u=0 s=1 c=0');
  });
});

describe('expressions', () => {
  it.each([
    ['"%llu", REC->x * 2 + 1', 20n, '41'],
    ['"%llu", REC->x >> 4', 0x123n, '18'],
    ['"%llu", REC->x & 0xf', 0x123n, '3'],
    ['"%llu", (REC->x | 0x100) == 0x123', 0x23n, '1'],
    ['"%llu", !REC->x', 0n, '1'],
    ['"%llx", ~REC->x', 0n, 'ffffffffffffffff'],
    ['"%d", -REC->x', 5n, '-5'],
    ['"%llu", REC->x / 3', 10n, '3'],
    ['"%llu", REC->x % 3', 10n, '1'],
    ['"%llu", REC->x / 0', 10n, '0'],
    ['"%llu", REC->x > 3 && REC->x < 9', 5n, '1'],
    ['"%llu", REC->x >= 9 || REC->x <= 3', 5n, '0'],
    ['"%llu", (u8)REC->x', 0x1234n, '52'],
    ['"%llu", (unsigned short)REC->x', 0x12345n, '9029'],
    ['"%d", (s8)REC->x', 0xffn, '255'],
    ['"%llu", (REC)->x', 7n, '7'],
    ['"%llu", sizeof(long) + sizeof(u16) + sizeof(REC->i)', 0n, '14'],
    ['"%llu", __builtin_expect(REC->x, 1)', 6n, '6'],
    ['"%llu", REC->x ? 10 : 20', 0n, '20'],
  ])('%s', (fmt, x, text) => {
    expect(numbers(fmt, x)).toBe(text);
  });

  it('groups a - b - c as a - (b - c), as libtraceevent parses it', () => {
    expect(numbers('"%d", REC->x - REC->i - REC->u', 10n, 3, (r) => r.u32(20, 2))).toBe('9');
  });

  it('evaluates ^ of a field to 0 but folds ^ of constants', () => {
    expect(numbers('"%llu %s", REC->x ^ 1, 6 ^ 3', 4n)).toBe('0 5');
  });

  it('prints nothing for %s of a non-?: operator', () => {
    expect(numbers('"[%s]", REC->x + 1', 4n)).toBe('[]');
  });

  it('indexes a fixed array', () => {
    const event = makeEvent(
      ['field:u16 arr[4];\toffset:8;\tsize:8;\tsigned:0;'],
      '"%d %d", REC->arr[1], REC->arr[3]',
    );
    const rec = new RecordBuilder(16).u16(8, 1).u16(10, 22).u16(12, 3).u16(14, 44);
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('22 44');
  });
});

describe('__print_symbolic and __print_flags', () => {
  const SYM = '"%s", __print_symbolic(REC->i, { 0, "ZERO" }, { 1, "ONE" }, { -1, "MINUS" })';
  it.each([
    [0, 'ZERO'],
    [1, 'ONE'],
    [7, '0x7'],
    // Fields are read unsigned: an int -1 is 0xffffffff, not the -1 of the table.
    [-1, '0xffffffff'],
  ])('symbol %s prints %s', (i, text) => {
    expect(numbers(SYM, 0n, i)).toBe(text);
  });

  it('matches negative table values only through a 64-bit value, and all as -1', () => {
    // "-2" does not start with a digit, so libtraceevent's eval_flag() makes it -1 too.
    const fmt = '"%s", __print_symbolic(REC->s, { -2, "M2" }, { 5, "FIVE" })';
    expect(numbers(fmt, -1n)).toBe('M2');
    expect(numbers(fmt, -2n)).toBe('0xfffffffffffffffe');
  });

  it('falls back to a width-padded name and 0x for unknown values', () => {
    expect(numbers('"[%-6s]", __print_symbolic(REC->i, { 2, "TWO" })', 0n, 2)).toBe('[TWO   ]');
    expect(numbers('"[%-6s]", __print_symbolic(REC->i, { 2, "TWO" })', 0n, 3)).toBe('[0x3]');
  });

  const FLAGS = '"%s", __print_flags(REC->x, "|", { 1, "A" }, { 2, "B" }, { 6, "BC" })';
  it.each([
    [3n, 'A|B'],
    [6n, 'B|0x4'],
    [9n, 'A|0x8'],
    [0n, ''],
  ])('flags %s print %s', (x, text) => {
    expect(numbers(FLAGS, x)).toBe(text);
  });

  it('prints a name-valued flag only for 0', () => {
    const fmt =
      '"%s", __print_flags(REC->x, "|", { HRTIMER_NORESTART, "none" }, { BOGUS, "zero" })';
    expect(numbers(fmt, 0n)).toBe('zero');
    expect(numbers(fmt, 4n)).toBe('0x4');
  });

  it('knows the softirq names the kernel leaves in formats', () => {
    const fmt = '"%s", __print_symbolic(REC->i, { HI_SOFTIRQ, "HI" }, { RCU_SOFTIRQ, "RCU" })';
    expect(numbers(fmt, 0n, 9)).toBe('RCU');
  });
});

describe('arrays, masks and strings', () => {
  const DYN = [
    'field:__data_loc u8[] buf;\toffset:8;\tsize:4;\tsigned:0;',
    'field:__data_loc unsigned long[] mask;\toffset:12;\tsize:4;\tsigned:0;',
    'field:unsigned long name;\toffset:16;\tsize:8;\tsigned:0;',
  ];
  const rec = () =>
    new RecordBuilder(40)
      .dataLoc(8, 24, [0xde, 0xad, 0xbe, 0xef])
      .dataLoc(12, 32, [0x0f, 0x01, 0, 0, 0, 0, 0, 0x80])
      .u64(16, 0xffffffff8281b755n);

  it.each([
    ['"%s", __print_hex(__get_dynamic_array(buf), __get_dynamic_array_len(buf))', 'de ad be ef'],
    ['"%s", __print_hex_str(__get_dynamic_array(buf), 2)', 'dead'],
    // A count from the record is cut at the record's end.
    [
      '"%s", __print_hex(__get_dynamic_array(buf), 1000)',
      'de ad be ef 00 00 00 00 0f 01 00 00 00 00 00 80',
    ],
    ['"%s", __print_array(__get_dynamic_array(buf), 2, 2)', '{0xadde,0xefbe}'],
    ['"%s", __print_array(__get_dynamic_array(buf), 2, 3)', '{BAD SIZE:3 0xde,0xad}'],
    ['"%s", __get_bitmask(mask)', '80000000,0000010f'],
    ['"%s", __get_cpumask(mask)', '0-3,8,63'],
    ['"%d", __get_dynamic_array_len(buf)', '4'],
    // A long prints its kernel string; %s of a __data_loc field prints the loc word's bytes.
    ['"%s|%s", REC->name, REC->buf', 'rcu_preempt|\x18'],
    ['"%*phC", __get_dynamic_array_len(buf), __get_dynamic_array(buf)', 'de:ad:be:ef'],
  ])('%s', (fmt, text) => {
    expect(formatTracepointSample(makeEvent(DYN, fmt), rec().bytes, true)).toBe(text);
  });

  it('prints an unknown kernel string pointer as bare hex', () => {
    const event = makeEvent(DYN, '"%s", REC->name');
    expect(formatTracepointSample(event, rec().u64(16, 0x1234n).bytes, true)).toBe('1234');
  });
});

describe('pointers', () => {
  const FIELDS = [
    'field:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;',
    'field:u8 mac[6];\toffset:16;\tsize:6;\tsigned:0;',
    'field:u8 saddr[4];\toffset:24;\tsize:4;\tsigned:0;',
    'field:u8 v6[16];\toffset:28;\tsize:16;\tsigned:0;',
  ];
  const rec = new RecordBuilder(48)
    .u64(8, 0xffffffff81000130n)
    .bytesAt(16, [0, 0x1b, 0x21, 0xa, 0xb, 0xc])
    .bytesAt(24, [192, 168, 0, 1])
    .bytesAt(28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const resolve = (a: bigint) =>
    a >= 0xffffffff81000100n ? { name: 'entry_SYSCALL_64', start: 0xffffffff81000100n } : undefined;

  it.each([
    ['"%pS", (void *)REC->ip', 'entry_SYSCALL_64+0x30'],
    ['"%ps", (void *)REC->ip', 'entry_SYSCALL_64'],
    ['"%pM %pm", REC->mac, REC->mac', '00:1b:21:0a:0b:0c 001b210a0b0c'],
    ['"%pI4 %pi4", REC->saddr, REC->saddr', '192.168.0.1 192.168.000.001'],
    ['"%pI6c", REC->v6', '2001:db8::1'],
    ['"%pI6", REC->v6', '2001:0db8:0000:0000:0000:0000:0000:0001'],
  ])('%s', (fmt, text) => {
    const event = makeEvent(FIELDS, fmt);
    expect(formatTracepointSample(event, rec.bytes, true, { resolveKernelFunction: resolve })).toBe(
      text,
    );
  });

  it('prints the address when no symbol is known', () => {
    const event = makeEvent(FIELDS, '"%pS", (void *)REC->ip');
    expect(formatTracepointSample(event, rec.bytes, true)).toBe('0xffffffff81000130');
  });
});

describe('failed print fmts and byte order', () => {
  it('prints [FAILED TO PARSE] with raw fields for an unknown function', () => {
    const event = makeEvent(EXIT_FIELDS, '"%s", jiffies_to_msecs(REC->pid)');
    expect(event.printFmt.failure).toMatch(/jiffies_to_msecs/);
    const rec = new RecordBuilder(40).str(8, 'sh').i32(24, -1).i32(28, 120).u8(32, 1);
    expect(formatTracepointSample(event, rec.bytes, true)).toBe(
      '[FAILED TO PARSE] comm=sh pid=-1 prio=120 group_dead=1',
    );
  });

  it('reads fields in the recording byte order', () => {
    const context = { ...CONTEXT, fileBigEndian: true };
    const event = makeEvent(EXIT_FIELDS, EXIT_FMT, context);
    const rec = new RecordBuilder(40, false).str(8, 'be').i32(24, 0x01020304).i32(28, 100);
    expect(formatTracepointSample(event, rec.bytes, false)).toBe(
      'comm=be pid=16909060 prio=100 group_dead=false',
    );
  });

  it('does not read past a short record', () => {
    const event = makeEvent(EXIT_FIELDS, EXIT_FMT);
    const short = new RecordBuilder(26).str(8, 'cut').bytes;
    expect(formatTracepointSample(event, short, true)).toBe(
      'comm=cut pid=0 prio=0 group_dead=false',
    );
  });

  it('fails, without exhausting the stack, on absurdly nested expressions', () => {
    const deep = makeEvent(EXIT_FIELDS, `"%d", ${'('.repeat(5000)}REC->pid${')'.repeat(5000)}`);
    expect(deep.printFmt.failure).toMatch(/nested too deeply/);
    const long = makeEvent(EXIT_FIELDS, `"%d", ${Array(3000).fill('REC->pid').join(' + ')}`);
    expect(long.printFmt.failure).toMatch(/nested too deeply/);
    const rec = new RecordBuilder(40).str(8, 'x').i32(24, 5);
    expect(formatTracepointSample(deep, rec.bytes, true)).toMatch(
      /^\[FAILED TO PARSE\] comm=x pid=5 /,
    );
  });
});
