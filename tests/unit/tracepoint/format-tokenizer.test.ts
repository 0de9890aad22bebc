/** The libtraceevent tokenizer port: the token boundaries the format parsers rely on. */
import { describe, expect, it } from 'vitest';

import { FormatTokenizer } from '../../../src/session/tracepoint/format-tokenizer';

function tokens(text: string): string[] {
  const tz = new FormatTokenizer(text);
  const out: string[] = [];
  for (;;) {
    const t = tz.readItem();
    if (t.type === 'none') return out;
    out.push(`${t.type}:${t.text}`);
  }
}

describe('FormatTokenizer', () => {
  it('splits a print fmt argument list', () => {
    expect(tokens('REC->prev_state & (1 << 2) ? "+" : "", x>=3, y!=0')).toEqual([
      'item:REC',
      'op:->',
      'item:prev_state',
      'op:&',
      'delim:(',
      'item:1',
      'op:<<',
      'item:2',
      'delim:)',
      'op:?',
      'dquote:+',
      'op::',
      'dquote:',
      'delim:,',
      'item:x',
      'op:>=',
      'item:3',
      'delim:,',
      'item:y',
      'op:!=',
      'item:0',
    ]);
  });

  it('keeps backslashes in strings and joins adjacent strings', () => {
    expect(tokens('"a\\"b\\n"  "cd" \'x\'')).toEqual(['dquote:a\\"b\\ncd', 'squote:x']);
  });

  it('stops at a byte >= 0x80 as C does with a signed char', () => {
    expect(tokens('abc \u00e9 def')).toEqual(['item:abc']);
  });

  it('reports token offsets with the base offset', () => {
    const tz = new FormatTokenizer('  ID: 7', 100);
    expect(tz.read()).toEqual({ type: 'item', text: 'ID', offset: 102 });
    expect(tz.read()).toEqual({ type: 'op', text: ':', offset: 104 });
  });
});
