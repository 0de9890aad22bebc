/**
 * The text perf script prints for a tracepoint sample after "<event name>: ", e.g.
 *   prev_comm=forkexec prev_pid=28600 prev_prio=120 prev_state=R ==> next_comm=rcu_preempt ...
 *
 * perf 6.1 (Debian) prints it with libtraceevent's tep_print_event("%s", TEP_PRINT_INFO) and no
 * plugins loaded: the event's own print fmt, never a plugin handler such as
 * plugin_sched_switch's "forkexec:28600 [120] R ==> ..." (the oracle shows the print fmt).
 */
import { Buffer } from 'node:buffer';

import type { TracepointFormat } from './event-format';
import { FieldLookup } from './field-lookup';
import { PrintArgEvaluator } from './print-fmt-eval';
import { renderPrintFmt } from './print-fmt';
import { failedEventText } from './raw-fields';
import { SampleData, type KernelFunctionResolver } from './sample-data';

export interface FormatSampleOptions {
  /** For %pS / %ps: the kernel function containing an address (perf uses its kallsyms map). */
  readonly resolveKernelFunction?: KernelFunctionResolver;
}

/**
 * Formats one sample. `rawData` is the PERF_SAMPLE_RAW payload without its u32 size (the record
 * starts with common_type); `littleEndian` is the recording's byte order.
 *
 * Bytes from the record are printed as they are and the whole line is then decoded as UTF-8, so
 * a comm or file name in UTF-8 comes out right; invalid UTF-8 becomes U+FFFD where perf would
 * write the raw bytes.
 */
export function formatTracepointSample(
  format: TracepointFormat,
  rawData: Uint8Array,
  littleEndian: boolean,
  options: FormatSampleOptions = {},
): string {
  const sample = new SampleData(
    rawData,
    littleEndian,
    format.context,
    options.resolveKernelFunction,
  );
  const bytes = format.printFmt.failure
    ? failedEventText(sample, format)
    : renderPrintFmt(
        format.printFmt,
        new PrintArgEvaluator(sample, new FieldLookup(format.commonFields, format.fields)),
      );
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
