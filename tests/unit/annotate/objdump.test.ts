import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjdumpError, runObjdump } from '../../../src/session/annotate/objdump';

/** A stand-in for objdump: a shell script (the runner itself never uses a shell). */
function fakeObjdump(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'perfws-objdump-')), 'objdump');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('running objdump', () => {
  it('passes the arguments as they are (no shell: spaces and $ stay) and reads bytes as latin1', async () => {
    const echo = fakeObjdump('for a in "$@"; do printf "[%s]" "$a"; done; printf "\\351\\n"');
    const { stdout, status } = await runObjdump(['-d', 'a b', '$1;x'], { objdump: echo });
    expect(status).toBe(0);
    expect(stdout).toBe('[-d][a b][$1;x]\u00e9\n');
  });

  it('gives its exit status and error output', async () => {
    const failing = fakeObjdump('echo "objdump: x: file format not recognized" >&2; exit 1');
    expect(await runObjdump(['x'], { objdump: failing })).toEqual({
      stdout: '',
      stderr: 'objdump: x: file format not recognized\n',
      status: 1,
    });
  });

  it('says so when there is no objdump, when it runs too long or prints too much', async () => {
    await expect(runObjdump([], { objdump: '/nonexistent/objdump' })).rejects.toThrow(
      /not found \(annotate needs binutils' objdump\)/,
    );
    const slow = fakeObjdump('exec sleep 30');
    await expect(runObjdump([], { objdump: slow, timeoutMs: 300 })).rejects.toThrow(
      /took longer than 300 ms/,
    );
    const flood = fakeObjdump('exec yes');
    await expect(runObjdump([], { objdump: flood, maxOutputBytes: 4096 })).rejects.toThrow(
      new ObjdumpError(`${flood} printed more than 4096 bytes`),
    );
  });
});
