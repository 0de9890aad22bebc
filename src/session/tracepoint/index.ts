export { parseTracingData, type TracingData, type ParseTracingDataOptions } from './tracing-data';
export { formatTracepointSample, type FormatSampleOptions } from './format-sample';
export { parseEventFormat } from './event-format-parser';
export { parsePrintFmtText, type PrintFmtOptions } from './print-fmt';
export { FieldLookup } from './field-lookup';
export { TracingDataError, FormatTextError } from './errors';
export type { KernelFunctionResolver } from './sample-data';
export type {
  TracepointFormat,
  TracepointField,
  TraceContext,
  PrintFmt,
  PrintArg,
  PrintItem,
  FlagSymbol,
} from './event-format';
