import { describe, expect, it } from 'vitest';
import { parseSortKeys, ReportUsageError } from '../../../src/session/report/sort-keys';

const names = (order: string): string[] => parseSortKeys(order).map((k) => k.name);

describe('parseSortKeys: perf 6.1 sort_dimension__add', () => {
  it('takes any prefix, the first dimension in perf order wins', () => {
    expect(names('comm,dso,sym')).toEqual(['comm', 'dso', 'symbol']);
    expect(names('p,c,d,s')).toEqual(['pid', 'comm', 'dso', 'symbol']);
    expect(names('SYM TRACE')).toEqual(['symbol', 'trace']);
  });

  it('ignores a repeated key', () => {
    expect(names('sym,symbol,dso,sym')).toEqual(['symbol', 'dso']);
  });

  it('rejects keys perf does not know, as perf words it', () => {
    expect(() => parseSortKeys('tid')).toThrow(new ReportUsageError("Unknown --sort key: `tid'"));
  });

  it('names perf keys this report does not implement', () => {
    expect(() => parseSortKeys('socket')).toThrow(/`socket' is not supported/);
    // "t" is transaction for perf, not trace
    expect(() => parseSortKeys('t')).toThrow(/`transaction' is not supported/);
  });
});
