import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { runScript } from '../../src/session/script/run-script';
import { recording } from '../support/recordings';

/**
 * Kernel relocation end to end (independent of the resolver's unit test): the recording's kernel
 * MMAP names its reference symbol (`[kernel.kallsyms]_text`, with _text's address as pgoff), the
 * kallsyms file comes from a boot where the kernel sat elsewhere, and perf moves every kallsyms
 * symbol by the difference (kallsyms__delta, dso__split_kallsyms).
 */
const DIR = mkdtempSync(join(tmpdir(), 'perfws-reloc-'));
const KALLSYMS = join(DIR, 'kallsyms');
writeFileSync(
  KALLSYMS,
  [
    'ffffffff81000000 T _text',
    'ffffffff81000100 t local_fn',
    'ffffffff81000200 T other_fn',
    'ffffffff81000300 T last_fn',
    '',
  ].join('\n'),
);

function kernelRecording(text: string, samples: string[]): string {
  return recording(`
    event cpu-clock type=1 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD
    mmap -1/0 t=1 kernel 0x${text}+0x1000000 @0x${text} [kernel.kallsyms]_text
    ${samples.map((ip, i) => `sample 10/11 t=${10 + i} ip=0x${ip} chain=kernel:${ip}`).join('\n')}
  `);
}

async function symbols(path: string): Promise<string[]> {
  const reader = PerfDataReader.open(path);
  let text = '';
  try {
    await runScript(reader, {
      fields: ['ip,sym,symoff,dso'],
      symbols: { kallsyms: KALLSYMS, symfs: DIR, buildidDir: DIR },
      write: (b) => (text += Buffer.from(b).toString('utf8')),
    });
  } finally {
    reader.close();
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('\t'))
    .map((l) => l.trim());
}

describe('a relocated kernel (KASLR) resolved with another boot\u2019s kallsyms', () => {
  it('moves every symbol by the recorded _text minus the file\u2019s', async () => {
    // this boot's kernel sat 32 MB higher than the kallsyms file's
    const lines = await symbols(
      kernelRecording('ffffffff83000000', [
        'ffffffff83000150',
        'ffffffff83000200',
        'ffffffff83000010',
      ]),
    );
    expect(lines).toEqual([
      'ffffffff83000150 local_fn+0x50 ([kernel.kallsyms])',
      'ffffffff83000200 other_fn+0x0 ([kernel.kallsyms])',
      'ffffffff83000010 _text+0x10 ([kernel.kallsyms])',
    ]);
  });

  it('leaves the symbols where they are when the recorded _text is the file\u2019s', async () => {
    const lines = await symbols(kernelRecording('ffffffff81000000', ['ffffffff81000150']));
    expect(lines).toEqual(['ffffffff81000150 local_fn+0x50 ([kernel.kallsyms])']);
  });

  it('does not find the unrelocated addresses of the file in the relocated kernel', async () => {
    const lines = await symbols(kernelRecording('ffffffff83000000', ['ffffffff81000150']));
    expect(lines).toEqual(['ffffffff81000150 [unknown] ([unknown])']);
  });
});
