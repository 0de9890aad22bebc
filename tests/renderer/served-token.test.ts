import { describe, expect, it } from 'vitest';
import { takeServedToken } from '../../src/renderer/host/served-token';

/** A tab: its address, history and session storage. */
function tab(href: string) {
  const storage = new Map<string, string>();
  const replaced: string[] = [];
  return {
    location: { href },
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    },
    storage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    },
    replaced,
  };
}

describe('the served mode token', () => {
  it('moves from the first URL into session storage and out of the address bar', () => {
    const t = tab('http://127.0.0.1:4000/?token=abc123&x=1#top');
    expect(takeServedToken(t.location, t.history, t.storage)).toBe('abc123');
    expect(t.replaced).toEqual(['/?x=1#top']);
    // A reload: no token in the URL any more, the tab still has it.
    t.location.href = 'http://127.0.0.1:4000/?x=1#top';
    expect(takeServedToken(t.location, t.history, t.storage)).toBe('abc123');
    expect(t.replaced).toHaveLength(1);
  });

  it('a new printed URL (a new run) replaces the token the tab had', () => {
    const t = tab('http://127.0.0.1:4000/?token=old');
    takeServedToken(t.location, t.history, t.storage);
    t.location.href = 'http://127.0.0.1:4000/?token=new';
    expect(takeServedToken(t.location, t.history, t.storage)).toBe('new');
    expect(t.replaced).toEqual(['/', '/']);
  });

  it('without a token anywhere it is empty (the server then refuses the sockets)', () => {
    const t = tab('http://127.0.0.1:4000/');
    expect(takeServedToken(t.location, t.history, t.storage)).toBe('');
  });
});
