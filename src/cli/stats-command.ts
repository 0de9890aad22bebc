import { collectStats, formatStats } from '../session/stats';
import { openRecording, writeStdout } from './io';

export async function runStatsCommand(opts: { input?: string; json?: boolean }): Promise<number> {
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
