/** Errors that cross the process boundary: a kind the client can act on, and a message. */
export type ErrorKind =
  | 'not-open' // a query before a recording was opened
  | 'bad-recording' // the file is not a readable perf.data (message names offset and field)
  | 'file' // the file cannot be opened (missing, permission)
  | 'cancelled'
  | 'bad-request' // arguments out of range, unknown method, invalid regex
  | 'protocol' // mismatched protocol version
  | 'internal';

export interface SerializedError {
  kind: ErrorKind;
  message: string;
}

export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }

  serialize(): SerializedError {
    return { kind: this.kind, message: this.message };
  }

  static from(e: unknown): SessionError {
    if (e instanceof SessionError) return e;
    if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
      return new SessionError((e as SerializedError).kind, String((e as SerializedError).message));
    }
    const err = e as { name?: string; message?: string };
    if (err?.name === 'AbortError') return new SessionError('cancelled', 'cancelled');
    return new SessionError('internal', err?.message ?? String(e));
  }
}
