/**
 * `perfws report` resolves a sample's own location once per thread, address, mode and CPU while
 * no side-band record comes (SampleResolver.location): each of those still gets its own.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES, recording } from '../support/recordings';
import { report } from '../support/report';

const NO_FILES = join(FIXTURES, 'no-such-dir');

async function dsoSymReport(path: string): Promise<string> {
  const { text } = await report(path, {
    sort: 'dso,sym',
    callGraph: 'none',
    children: false,
    quiet: true,
    symbols: { symfs: NO_FILES, buildidDir: NO_FILES },
  });
  return text;
}

it('one address sampled in user and kernel mode, on two CPUs, across an exec', async () => {
  const text = await dsoSymReport(
    recording(`
      event cpu-clock type=1 sample_type=IP|TID|TIME|PERIOD|CPU
      comm 10/10 t=1 app
      mmap 10/10 t=2 0x400000+0x1000 @0 /tmp/none/app
      sample 10/10 t=10 cpu=0 ip=0x400010 period=100 misc=2
      sample 10/10 t=11 cpu=0 ip=0x400010 period=20 misc=1
      sample 10/10 t=12 cpu=1 ip=0x400010 period=100 misc=2
      mmap 10/10 t=13 0x400000+0x1000 @0 /tmp/none/other
      sample 10/10 t=14 cpu=0 ip=0x400010 period=30 misc=2
    `),
  );
  const rows = text
    .split('\n')
    .filter((l) => l.includes('['))
    .map((l) => l.trim().split(/\s+/));
  // overhead, shared object, level, symbol (the address: no symbols)
  expect(rows).toEqual([
    ['80.00%', 'app', '[.]', '0x0000000000000010'],
    ['12.00%', 'other', '[.]', '0x0000000000000010'],
    ['8.00%', '[unknown]', '[k]', '0x0000000000400010'],
  ]);
});
