/**
 * The multi-GB scale check (issue: hardening): replicates a real recording COPIES times (times
 * shifted, same threads), opens the original and the copy in the session as the app does, and
 * prints load time, peak memory, how steady the progress was, and whether the big one answers
 * like the small one scaled (sample count, top-function shares, folded-stack weights).
 *
 *   node --import tsx scripts/scale.ts IN COPIES [OUT]     (OUT defaults to IN's name + -xN)
 */
import { existsSync, statSync } from 'node:fs';
import { SessionService } from '../src/session/service';
import type { CallContext } from '../src/shared/rpc';
import { replicate } from '../tests/support/replicate';

const [input, copiesArg, outArg] = process.argv.slice(2);
const copies = Number(copiesArg);
if (!input || !(copies >= 1)) {
  process.stderr.write('usage: scale.ts IN COPIES [OUT]\n');
  process.exit(2);
}
const output = outArg ?? input.replace(/(\.data)?$/, `-x${copies}.data`);
if (!existsSync(output)) replicate(input, output, copies);

interface Opened {
  service: SessionService;
  seconds: number;
  progressGaps: number[];
}

async function open(path: string): Promise<Opened> {
  const service = new SessionService();
  const size = statSync(path).size;
  const times: number[] = [];
  const ctx: CallContext = {
    signal: new AbortController().signal,
    emit: (name) => {
      if (name === 'progress') times.push(performance.now());
    },
  };
  const t0 = performance.now();
  await service.open({ path, symbols: {} }, ctx);
  const t1 = performance.now();
  const marks = [t0, ...times, t1];
  const progressGaps = marks.slice(1).map((t, i) => t - marks[i]!);
  process.stderr.write(`${path}: ${(size / 1e9).toFixed(2)} GB opened\n`);
  return { service, seconds: (t1 - t0) / 1000, progressGaps };
}

const quiet = (): CallContext => ({ signal: new AbortController().signal, emit: () => {} });

async function folded(s: SessionService): Promise<Map<string, number>> {
  const lines: string[] = [];
  await s.exportFolded(
    { filters: {} },
    {
      signal: new AbortController().signal,
      emit: (name, data) => {
        if (name === 'chunk') lines.push(...(data as string).split('\n').filter(Boolean));
      },
    },
  );
  const at = (l: string): number => l.lastIndexOf(' ');
  return new Map(lines.map((l) => [l.slice(0, at(l)), Number(l.slice(at(l) + 1))]));
}

// The large one first, so the peak is its own.
const large = await open(output);
const peakRss = process.resourceUsage().maxRSS * 1024;
const small = await open(input);
const [a, b] = [await small.service.summary(quiet()), await large.service.summary(quiet())];
const [ta, tb] = [
  await small.service.topFunctions({ filters: {}, limit: 100 }, quiet()),
  await large.service.topFunctions({ filters: {}, limit: 100 }, quiet()),
];
const [fa, fb] = [await folded(small.service), await folded(large.service)];

const checks = {
  samplesScaled: b.meta.samples === copies * a.meta.samples,
  topFunctionsSameShares:
    JSON.stringify(tb.rows.map((r) => [r.name, r.self / tb.total])) ===
    JSON.stringify(ta.rows.map((r) => [r.name, r.self / ta.total])),
  foldedScaled: fa.size === fb.size && [...fa].every(([k, v]) => fb.get(k) === copies * v),
};
// The last gap is the model's finish (sorting and freezing the columns) after the last byte.
const finishMs = large.progressGaps[large.progressGaps.length - 1]!;
const gaps = large.progressGaps.slice(0, -1).sort((x, y) => x - y);
process.stdout.write(
  JSON.stringify(
    {
      file: output,
      gigabytes: +(statSync(output).size / 1e9).toFixed(2),
      samples: b.meta.samples,
      loadSeconds: +large.seconds.toFixed(2),
      smallLoadSeconds: +small.seconds.toFixed(2),
      peakRssMB: Math.round(peakRss / 1e6),
      progressEvents: gaps.length,
      progressGapMsMedian: Math.round(gaps[gaps.length >> 1]!),
      progressGapMsMax: Math.round(gaps[gaps.length - 1]!),
      finishAfterLastByteMs: Math.round(finishMs),
      ...checks,
    },
    null,
    1,
  ) + '\n',
);
process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
