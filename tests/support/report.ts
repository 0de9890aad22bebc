import { PerfDataReader } from '../../src/session/perf-data/reader';
import {
  runReport,
  type ReportOptions,
  type ReportResult,
} from '../../src/session/report/run-report';

/** `perfws report` of a recording as text, with the read's result. */
export async function report(
  path: string,
  options: Omit<ReportOptions, 'write'>,
): Promise<{ text: string; result: ReportResult }> {
  const reader = PerfDataReader.open(path);
  let text = '';
  try {
    const result = await runReport(reader, { ...options, write: (s) => (text += s) });
    return { text, result };
  } finally {
    reader.close();
  }
}
