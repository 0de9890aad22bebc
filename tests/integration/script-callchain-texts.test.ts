/**
 * `perfws script` prints a callchain it has printed before from a cache: the cache must follow
 * the process's maps, so the same addresses print differently once a library is mapped there.
 */
import { describe, expect, it } from 'vitest';
import { recording } from '../support/recordings';
import { script } from '../support/script';

describe('cached callchain texts', () => {
  it('follow the maps: the same chain before and after a library is mapped', async () => {
    const path = recording(
      [
        'event cpu-clock type=1 config=0 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER sample_id_all mmap comm',
        'comm 100/100 t=10 app',
        'mmap 100/100 t=10 0x400000+0x1000 @0 /bin/app',
        'sample 100/100 t=1000 ip=0x400010 chain=user:400010,500020',
        'sample 100/100 t=1100 ip=0x400010 chain=user:400010,500020',
        'mmap 100/100 t=1500 0x500000+0x1000 @0 /lib/late.so',
        'sample 100/100 t=2000 ip=0x400010 chain=user:400010,500020',
        'round',
      ].join('\n'),
    );
    const text = await script(path, ['ip,dso']);
    const chains = text.split('\n\n').filter(Boolean);
    expect(chains).toHaveLength(3);
    expect(chains[0]).toBe(chains[1]);
    expect(chains[0]).toContain('[unknown]');
    expect(chains[2]).toContain('(/lib/late.so)');
    expect(chains[2]).not.toContain('[unknown]');
  });
});
