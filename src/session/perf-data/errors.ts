/**
 * Errors of the perf.data reader. Every message names where in the file the problem is, which
 * field, and what was expected: a user with a hex editor must be able to find it.
 */
export class PerfDataError extends Error {
  override readonly name: string = 'PerfDataError';
  constructor(
    message: string,
    /** Absolute byte offset in the file (or in the decompressed stream, see `context`). */
    readonly offset: number,
    readonly field?: string,
    readonly context?: string,
  ) {
    super(
      `${message} at byte offset ${offset} (0x${offset.toString(16)})` +
        (field ? ` in ${field}` : '') +
        (context ? ` (${context})` : ''),
    );
  }
}

/**
 * A PerfDataError a load worker posted (its message, offset and field), made again on this
 * thread: the message as it was, where and why included.
 */
export function postedPerfDataError(posted: {
  message: string;
  offset: number;
  field?: string;
}): PerfDataError {
  const e = new PerfDataError('', posted.offset, posted.field);
  e.message = posted.message;
  return e;
}
