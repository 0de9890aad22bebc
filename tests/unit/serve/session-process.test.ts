import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_GRACE_MS, watchForCrash } from '../../../src/cli/serve/session-process';

function watched(): { child: EventEmitter; reasons: string[] } {
  const child = new EventEmitter();
  const reasons: string[] = [];
  watchForCrash(child, (why) => reasons.push(why));
  return { child, reasons };
}

const epipe = (): Error => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

describe('a served session process that ends', () => {
  afterEach(() => vi.useRealTimers());

  it('killed while a message was being sent: the signal is the reason, not the failed send', () => {
    vi.useFakeTimers();
    const { child, reasons } = watched();
    child.emit('error', epipe());
    child.emit('error', epipe()); // every failed send is an error event; none may go unhandled
    child.emit('exit', null, 'SIGKILL');
    vi.advanceTimersByTime(EXIT_GRACE_MS * 2);
    expect(reasons).toEqual([
      'the session process was killed by SIGKILL (the kernel does this when memory runs out)',
    ]);
  });

  it('an error with no exit after it (it could not start) is the reason', () => {
    vi.useFakeTimers();
    const { child, reasons } = watched();
    child.emit('error', Object.assign(new Error('spawn node ENOENT'), { code: 'ENOENT' }));
    expect(reasons).toEqual([]);
    vi.advanceTimersByTime(EXIT_GRACE_MS);
    expect(reasons).toEqual(['the session process failed: spawn node ENOENT']);
  });

  it('an exit code when it exits by itself', () => {
    const { child, reasons } = watched();
    child.emit('exit', 3, null);
    expect(reasons).toEqual(['the session process exited with code 3']);
  });
});
