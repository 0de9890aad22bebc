import { SessionError } from '../../shared/contract/errors';
import type { WebSocketPort } from './websocket-port';

/** Calls of one browser that run at once; its others wait their turn. */
export const MAX_RUNNING_CALLS = 4;
/** Calls of one browser that may wait; more is not a browser showing a recording. */
export const MAX_WAITING_CALLS = 64;

/**
 * Admits one browser's calls to the shared session: a few at a time, and only while its socket
 * takes what it is sent, so a client that stops reading stops being served (instead of making
 * the server queue its answers), and one that floods only waits behind itself. When the socket
 * closes, the calls still waiting are dropped without ever reaching the session.
 */
export class ClientCalls {
  private running = 0;
  private readonly queue: { admit(): void; drop(e: Error): void }[] = [];
  private closed = false;

  constructor(private readonly port: WebSocketPort) {
    port.onClose?.(() => {
      this.closed = true;
      for (const q of this.queue.splice(0))
        q.drop(new SessionError('cancelled', 'the client went away'));
    });
  }

  /** Waits for this call's turn; returns the function that ends it. */
  async enter(signal: AbortSignal): Promise<() => void> {
    if (this.closed) throw new SessionError('cancelled', 'the client went away');
    if (this.running < MAX_RUNNING_CALLS) this.running++;
    else {
      if (this.queue.length >= MAX_WAITING_CALLS) {
        throw new SessionError(
          'bad-request',
          `more than ${MAX_WAITING_CALLS} calls waiting for their answer: wait for some first`,
        );
      }
      // Admitted with the slot of the call that ended (running stays as it is).
      await new Promise<void>((admit, drop) => {
        const entry = { admit, drop };
        this.queue.push(entry);
        signal.addEventListener(
          'abort',
          () => {
            const i = this.queue.indexOf(entry);
            if (i < 0) return;
            this.queue.splice(i, 1);
            drop(new SessionError('cancelled', 'cancelled'));
          },
          { once: true },
        );
      });
    }
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const next = this.queue.shift();
      if (next) next.admit();
      else this.running--;
    };
    try {
      await this.port.writable();
    } catch {
      end();
      throw new SessionError('cancelled', 'the client went away');
    }
    if (signal.aborted) {
      end();
      throw new SessionError('cancelled', 'cancelled');
    }
    return end;
  }
}
