import type { Command } from 'commander';
import { collectStats, formatStats } from '../session/stats';
import { openRecording, writeStdout } from './io';

interface StatsCliOptions {
  input?: string;
  json?: boolean;
}

/** `perfws stats`: record counts and how the deferred-callchain merge went. */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('count records and report how the deferred-callchain merge went')
    .option('-i, --input <file>', 'the recording')
    .option('--json', 'print one JSON object')
    .action(async (opts: StatsCliOptions) => {
      process.exitCode = await runStatsCommand(opts);
    });
}

export async function runStatsCommand(opts: StatsCliOptions): Promise<number> {
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  try {
    const stats = await collectStats(reader);
    writeStdout(opts.json ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
    return stats.error ? 1 : 0;
  } finally {
    reader.close();
  }
}
