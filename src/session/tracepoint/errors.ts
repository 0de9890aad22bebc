/**
 * Errors of the tracepoint decoder. Each names the byte offset and the field being read, so that
 * a user with a hex editor can find the problem in the recording.
 */
export class TracingDataError extends Error {
  override readonly name = 'TracingDataError';
  constructor(
    message: string,
    /** Byte offset of the problem: absolute when the caller gave the blob's base offset. */
    readonly offset: number,
    /** What was being read ("event format sched/sched_switch", "page size"). */
    readonly field: string,
  ) {
    super(`${message} at byte offset ${offset} (0x${offset.toString(16)}) in ${field}`);
  }
}

/**
 * A problem in the text of an event format file (or its print fmt). `offset` is relative to the
 * start of that text; the tracing-data reader rethrows it as a TracingDataError with the blob
 * offset added.
 */
export class FormatTextError extends Error {
  override readonly name = 'FormatTextError';
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`${detail} at text offset ${offset}`);
  }
}
