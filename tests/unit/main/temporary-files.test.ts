/**
 * Files written whole and renamed into place (exports, settings) go through a temporary file
 * that is created exclusively under a random name: a symlink planted at the name the old code
 * used (`DEST.PID.partial`, `DEST.PID.tmp`) is never followed.
 */
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFile } from '../../../src/main/json-file';
import { writeTextExport } from '../../../src/main/text-export';
import { openTemporaryBeside } from '../../../src/main/temporary-file';

/** A folder with a victim file outside it and a symlink to the victim at `plantedName`. */
function trap(plantedName: (dest: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'perfws-trap-'));
  const victim = join(mkdtempSync(join(tmpdir(), 'perfws-victim-')), 'precious');
  writeFileSync(victim, 'precious\n');
  const dest = join(dir, 'out.txt');
  symlinkSync(victim, plantedName(dest));
  return { dir, dest, victim };
}

describe('temporary files', () => {
  it('writeTextExport never writes through a planted symlink', async () => {
    const { dir, dest, victim } = trap((d) => `${d}.${process.pid}.partial`);
    await writeTextExport(dest, async (write) => write('folded;stack 1\n'));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(dest).isFile()).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('folded;stack 1\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([
      `out.txt.${process.pid}.partial`,
    ]);
  });

  it('JsonFile never writes through a planted symlink', () => {
    const { dest, victim } = trap((d) => `${d}.${process.pid}.tmp`);
    new JsonFile(
      dest,
      (raw) => raw as number[],
      () => [],
    ).write([1]);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(dest).isFile()).toBe(true);
  });

  it('names are random and beside the destination', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfws-tmp-'));
    const a = openTemporaryBeside(join(dir, 'x.json'));
    const b = openTemporaryBeside(join(dir, 'x.json'));
    expect(a.path).not.toBe(b.path);
    expect(a.path).toMatch(new RegExp(`^${dir}/\\.x\\.json\\.[0-9a-f]{16}\\.partial$`));
  });
});
