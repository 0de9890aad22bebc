/**
 * Every tracepoint sample of the real recording tracepoint-sched, formatted by us, must equal
 * what perf 6.1 printed after "<event name>: " on the sample's line of oracle/script.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { formatTracepointSample, parseTracingData } from '../../../src/session/tracepoint';
import { readTestPerfData } from './perf-data-samples';

const DIR = join(__dirname, '../../fixtures/real/tracepoint-sched');
const perfData = readTestPerfData(join(DIR, 'perf.data'));
const tracing = parseTracingData(perfData.tracingData, { baseOffset: perfData.tracingDataOffset });

interface OracleLine {
  readonly key: string;
  readonly event: string;
  readonly text: string;
}

// forkexec 28600 [000]  2951.577453:       sched:sched_switch: prev_comm=forkexec prev_pid=...
const HEADER_LINE = /^.*?\s(\d+) \[(\d{3})\]\s+(\d+\.\d{6}):\s+(\S+): (.*)$/;

function oracleLines(): OracleLine[] {
  const text = readFileSync(join(DIR, 'oracle/script.txt'), 'utf8');
  const lines: OracleLine[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('\t')) continue;
    const m = HEADER_LINE.exec(line);
    if (!m) throw new Error(`unexpected oracle line: ${line}`);
    lines.push({ key: `${m[1]} ${Number(m[2])} ${m[3]}`, event: m[4] ?? '', text: m[5] ?? '' });
  }
  return lines;
}

/** perf script's time column: seconds, then microseconds truncated. */
function timeText(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${((ns % 1_000_000_000n) / 1000n).toString().padStart(6, '0')}`;
}

describe('tracepoint-sched oracle', () => {
  it('has the four event formats keyed by attr config', () => {
    const configs = new Set(perfData.attrs.map((a) => Number(a.config)));
    expect([...configs].sort()).toEqual([0x16d, 0x16e, 0x171, 0x174]);
    for (const config of configs) expect(tracing.events.has(config)).toBe(true);
    expect(tracing.events.get(0x174)?.name).toBe('sched_switch');
    expect(tracing.context.longSize).toBe(8);
  });

  it('formats all 34 samples exactly as perf script 6.1', () => {
    const oracle = oracleLines();
    expect(perfData.samples).toHaveLength(34);
    expect(oracle).toHaveLength(34);
    const unmatched = new Map<string, OracleLine[]>();
    for (const line of oracle) unmatched.set(line.key, [...(unmatched.get(line.key) ?? []), line]);

    const perEvent = new Map<string, number>();
    for (const sample of perfData.samples) {
      const format = tracing.events.get(Number(sample.config));
      expect(format, `format for config ${sample.config}`).toBeDefined();
      if (!format) continue;
      const event = `${format.system}:${format.name}`;
      const key = `${sample.tid} ${sample.cpu} ${timeText(sample.time)}`;
      const candidates = unmatched.get(key) ?? [];
      const line = candidates.shift();
      expect(line, `oracle line for sample at file offset ${sample.fileOffset}`).toBeDefined();
      if (!line) continue;
      expect(event).toBe(line.event);
      expect(formatTracepointSample(format, sample.raw, true)).toBe(line.text);
      perEvent.set(event, (perEvent.get(event) ?? 0) + 1);
    }
    expect(Object.fromEntries(perEvent)).toEqual({
      'sched:sched_switch': 24,
      'sched:sched_process_exec': 3,
      'sched:sched_process_fork': 3,
      'sched:sched_process_exit': 4,
    });
  });
});
