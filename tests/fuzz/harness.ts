import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../../src/session/model/model-builder';
import { PerfDataError } from '../../src/session/perf-data/errors';
import { PerfDataReader } from '../../src/session/perf-data/reader';
import { checkProfile } from '../../src/shared/model';

const dir = mkdtempSync(join(tmpdir(), 'perfws-fuzz-'));
/** No symbol sources: the fuzz is about the reader, not the host's files. */
const NO_SYMBOLS = { symfs: mkdtempSync(join(tmpdir(), 'perfws-fuzz-symfs-')), buildidDir: dir };
let n = 0;

export interface Outcome {
  /** 'refused': open failed with a PerfDataError; 'error': the read stopped with one; 'loaded'. */
  kind: 'refused' | 'error' | 'loaded';
  message?: string;
  /** Sequence numbers of the kernel records delivered (file order). */
  delivered: Set<number>;
  ms: number;
}

/** Reads a damaged recording the way the app does; any exception other than PerfDataError is a bug. */
export async function readDamaged(bytes: Uint8Array): Promise<Outcome> {
  const path = join(dir, `f${n++}.data`);
  writeFileSync(path, bytes);
  const start = performance.now();
  const delivered = new Set<number>();
  try {
    let reader: PerfDataReader;
    try {
      reader = PerfDataReader.open(path);
    } catch (e) {
      if (e instanceof PerfDataError)
        return { kind: 'refused', message: e.message, delivered, ms: performance.now() - start };
      throw e;
    }
    let result;
    try {
      result = await reader.read((r) => delivered.add(r.seq));
    } finally {
      reader.close();
    }
    // the model builds from whatever can be read, as the app does
    const again = PerfDataReader.open(path);
    try {
      const profile = await loadProfile(again, { symbols: NO_SYMBOLS });
      const problems = checkProfile(profile);
      if (problems.length) throw new Error(`unsound model: ${problems.join('; ')}`);
    } finally {
      again.close();
    }
    return {
      kind: result.error ? 'error' : 'loaded',
      message: result.error?.message,
      delivered,
      ms: performance.now() - start,
    };
  } finally {
    rmSync(path, { force: true });
  }
}
