/**
 * Reads the tracing data perf stores with a recording that has tracepoint events: the
 * HEADER_TRACING_DATA feature section (file mode) or the payload of a
 * PERF_RECORD_HEADER_TRACING_DATA record (pipe mode); the bytes are the same. Layout, after perf's
 * trace_report() (tools/perf/util/trace-event-read.c):
 *
 *   "\x17\x08\x44tracing"  version "0.6\0"  endian u8 (1 = big)  long size u8  page size u32
 *   "header_page\0" u64 size, text          "header_event\0" u64 size, text
 *   u32 count, then count x (u64 size, ftrace event format text)
 *   u32 systems, then per system: name\0, u32 count, count x (u64 size, event format text)
 *   u32 size, kallsyms text (perf 6.1 skips it)     u32 size, printk_formats text
 *   version >= 0.6: u64 size, saved_cmdlines text
 *
 * Numbers after the endian byte are in the recording's byte order.
 */
import { FormatTextError, TracingDataError } from './errors';
import type { TraceContext, TracepointFormat } from './event-format';
import { parseEventFormat } from './event-format-parser';
import { latin1, TracingDataCursor } from './tracing-data-cursor';
import { parseHeaderPage, parsePrintkFormats, parseSavedCmdlines } from './tracing-text-sections';

export interface TracingData {
  readonly version: string;
  readonly bigEndian: boolean;
  /** The long size byte of the header (what perf first sets). */
  readonly fileLongSize: number;
  readonly pageSize: number;
  /** Shared by every event: the long size perf ends up using, the printk strings. */
  readonly context: TraceContext;
  /** Event formats by their `ID:` (= perf_event_attr.config of the tracepoint). */
  readonly events: ReadonlyMap<number, TracepointFormat>;
  readonly savedCmdlines: ReadonlyMap<number, string>;
}

const MAGIC = [0x17, 0x08, 0x44];

export interface ParseTracingDataOptions {
  /** File offset of the blob's first byte, so that errors give absolute offsets. */
  readonly baseOffset?: number;
}

/** atof(version) >= 0.6: the leading number of the version string. */
function versionNumber(version: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)/.exec(version);
  return m ? Number(m[0]) : 0;
}

export function parseTracingData(
  bytes: Uint8Array,
  options: ParseTracingDataOptions = {},
): TracingData {
  const c = new TracingDataCursor(bytes, options.baseOffset ?? 0);
  const magic = c.take(3, 'magic');
  if (MAGIC.some((b, i) => magic[i] !== b)) c.fail('not tracing data (bad magic)', 'magic', 0);
  if (latin1(c.take(7, 'magic')) !== 'tracing') {
    c.fail("not tracing data (missing 'tracing' tag)", 'magic', 3);
  }
  const version = c.cString('version');
  const bigEndian = c.u8('endianness') !== 0;
  c.littleEndian = !bigEndian;
  const fileLongSize = c.u8('long size');
  const pageStart = c.pos;
  const pageSize = c.u32('page size');
  if (pageSize === 0) c.fail('page size is 0', 'page size', pageStart);

  expectTag(c, 'header_page');
  const headerPage = latin1(c.take(c.u64Size('header_page size'), 'header_page'));
  expectTag(c, 'header_event');
  c.take(c.u64Size('header_event size'), 'header_event');

  // perf takes sizeof(long) from the header page's "commit" field when there is a header page.
  const commit = parseHeaderPage(headerPage).find((f) => f.name === 'commit');
  const longSize = headerPage.length > 0 && commit && commit.size > 0 ? commit.size : fileLongSize;

  // Event texts are parsed once printk strings are known; remember where they are.
  const texts: { system: string; start: number; text: string }[] = [];
  const ftraceCount = c.u32('ftrace format count');
  for (let i = 0; i < ftraceCount; i++) {
    const size = c.u64Size(`ftrace format ${i} size`);
    const start = c.pos;
    texts.push({ system: 'ftrace', start, text: latin1(c.take(size, `ftrace format ${i}`)) });
  }
  const systems = c.u32('event system count');
  for (let s = 0; s < systems; s++) {
    const system = c.cString(`event system ${s} name`);
    const count = c.u32(`event count of system ${system}`);
    for (let i = 0; i < count; i++) {
      const size = c.u64Size(`event format ${system}[${i}] size`);
      const start = c.pos;
      texts.push({ system, start, text: latin1(c.take(size, `event format ${system}[${i}]`)) });
    }
  }
  c.take(c.u32Size('kallsyms size'), 'kallsyms');
  const printkStrings = parsePrintkFormats(
    latin1(c.take(c.u32Size('printk formats size'), 'printk formats')),
  );
  let savedCmdlines = new Map<number, string>();
  if (versionNumber(version) >= 0.6) {
    const size = c.u64Size('saved cmdlines size');
    savedCmdlines = parseSavedCmdlines(latin1(c.take(size, 'saved cmdlines')));
  }

  const context: TraceContext = { longSize, fileBigEndian: bigEndian, printkStrings };
  const events = new Map<number, TracepointFormat>();
  for (const { system, start, text } of texts) {
    let event: TracepointFormat;
    try {
      event = parseEventFormat(text, system, context);
    } catch (e) {
      if (!(e instanceof FormatTextError)) throw e;
      const name = /^name:\s*(\S+)/.exec(text)?.[1] ?? '?';
      throw new TracingDataError(
        `bad event format: ${e.detail}`,
        c.absolute(start + e.offset),
        `event format ${system}/${name}`,
      );
    }
    if (!events.has(event.id)) events.set(event.id, event);
  }
  return { version, bigEndian, fileLongSize, pageSize, context, events, savedCmdlines };
}

function expectTag(c: TracingDataCursor, tag: string): void {
  const start = c.pos;
  const got = latin1(c.take(tag.length + 1, tag));
  if (got !== tag + '\0') c.fail(`expected "${tag}"`, tag, start);
}
