/**
 * Damaged recordings (fast-check): byte flips, truncation, absurd sizes and counts, the wrong
 * byte order, duplicated and reordered records, missing FINISHED_ROUNDs, CALLCHAIN_DEFERRED
 * records with a huge nr. Whatever the damage: no crash (only clean PerfDataErrors), no hang
 * (bounded time per MB), a sound model, and every record before the damage still read.
 * `npm run fuzz` runs the same properties far longer (FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/recordings';
import { readDamaged, type Outcome } from './harness';
import * as m from './mutations';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SOURCES = (
  process.env.FUZZ_SOURCES ?? 'real/fp-recurse,deferred/forkexec-edge,real/compressed-zstd'
)
  .split(',')
  .map((rel) => ({ rel, bytes: new Uint8Array(readFileSync(join(FIXTURES, rel, 'perf.data'))) }));
/** Generous: a few MB of fixtures read twice must never take seconds per MB. */
const MS_PER_MB = 4000;

function bounded(o: Outcome, bytes: Uint8Array): void {
  expect(o.ms).toBeLessThan(5000 + (MS_PER_MB * bytes.length) / 1e6);
  if (o.kind !== 'loaded') expect(o.message).toMatch(/byte offset \d+/);
}

describe.each(SOURCES)('damaged $rel', ({ bytes }) => {
  const l = m.layout(bytes);
  const pristineRecords = l.records;
  const timeout = 60_000 + RUNS * 2000;

  it('byte flips in the data: records before the damage are all read', { timeout }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: l.dataOffset, max: l.dataEnd - 1 }),
        fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 8 }),
        async (at, spread, xor) => {
          const damaged = m.flipBytes(
            bytes,
            spread.map((d) => at + d),
            xor,
          );
          const o = await readDamaged(damaged);
          bounded(o, damaged);
          // kernel records wholly before the first damaged byte were read
          pristineRecords.forEach((r, seq) => {
            if (r.offset + r.size <= at && r.type < 64 && r.type !== 22 && o.kind !== 'refused') {
              expect(o.delivered.has(seq) || r.type === 9, `record ${seq}`).toBe(true);
            }
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('byte flips anywhere (header, attrs, features): no crash, no hang', { timeout }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: bytes.length - 1 }), { minLength: 1, maxLength: 16 }),
        fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 16 }),
        async (positions, xor) =>
          bounded(await readDamaged(m.flipBytes(bytes, positions, xor)), bytes),
      ),
      { numRuns: RUNS },
    );
  });

  it('truncation anywhere', { timeout }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (at) => {
        const o = await readDamaged(m.truncate(bytes, at));
        bounded(o, bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('absurd record sizes and counts', { timeout }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: pristineRecords.length - 1 }),
        fc.oneof(
          fc.constant(0),
          fc.constant(7),
          fc.constant(0xffff),
          fc.integer({ min: 0, max: 0xffff }),
        ),
        fc.integer({ min: 8, max: 64 }),
        fc.oneof(
          fc.constant(0xffff_ffff_ffff_ffffn),
          fc.constant(1n << 40n),
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        ),
        async (i, size, field, count) => {
          const r = pristineRecords[i]!;
          bounded(await readDamaged(m.setU16(bytes, r.offset + 6, size)), bytes);
          const at = r.offset + Math.min(field, r.size - 8) - ((r.offset + field) % 8);
          bounded(await readDamaged(m.setU64(bytes, at, count)), bytes);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(
    'duplicated and reordered records, no FINISHED_ROUND, huge CALLCHAIN_DEFERRED nr',
    { timeout },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 1 << 20 }),
          fc.integer({ min: 0, max: 1 << 20 }),
          fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
          async (i, j, nr) => {
            for (const damaged of [
              m.duplicateRecord(bytes, l, i),
              m.swapRecords(bytes, l, i, j),
              m.dropRounds(bytes, l),
              m.insertHugeDeferred(bytes, l, i, nr),
            ]) {
              const o = await readDamaged(damaged);
              bounded(o, damaged);
              expect(o.kind).not.toBe('refused');
            }
          },
        ),
        { numRuns: Math.max(5, Math.floor(RUNS / 3)) },
      );
    },
  );

  it('the wrong byte order is read through without crashing', async () => {
    bounded(await readDamaged(m.swapMagic(bytes)), bytes);
  });
});
