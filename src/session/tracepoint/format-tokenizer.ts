/**
 * The tokenizer libtraceevent uses for event format files and print fmt arguments
 * (`__read_token` in event-parse.c). Its quirks shape what parses and what does not, so they are
 * kept: tokens are split by character class, quoted strings keep their backslashes, adjacent
 * "strings" are joined, and any byte >= 0x80 (a negative `char` in C) ends the input.
 *
 * Input is a byte string: one JS char per byte (latin1), so offsets are byte offsets.
 */

export type TokenType =
  | 'none' // end of input (or an unreadable byte)
  | 'space'
  | 'newline'
  | 'op'
  | 'delim' // ( ) ,
  | 'item' // identifiers and numbers
  | 'dquote' // "string" (quotes removed)
  | 'squote'; // 'c' (quotes removed)

export interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** Offset of the token's first byte in the tokenized text. */
  readonly offset: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** get_type(): the character class that decides where a token ends. */
function charType(c: number): TokenType {
  if (c < 0) return 'none';
  if (c === 0x0a) return 'newline';
  if (isSpace(c)) return 'space';
  if (isAlnum(c) || c === 0x5f) return 'item';
  if (c === 0x27) return 'squote';
  if (c === 0x22) return 'dquote';
  if (!isPrint(c)) return 'none';
  if (c === 0x28 || c === 0x29 || c === 0x2c) return 'delim';
  return 'op';
}

/** Old kernels' mac80211 formats name these macros instead of strings; libtraceevent swaps them. */
const FORCED_TOKENS: Record<string, string> = {
  LOCAL_PR_FMT: '%s',
  STA_PR_FMT: ' sta:%pM',
  VIF_PR_FMT: ' vif:%p(%d)',
};

export class FormatTokenizer {
  private pos = 0;

  constructor(
    private readonly text: string,
    /** Added to every reported offset (where this text starts in a larger one). */
    readonly baseOffset = 0,
  ) {}

  /** Current read position, relative to baseOffset. */
  get offset(): number {
    return this.baseOffset + this.pos;
  }

  /** A C `char`: bytes >= 0x80 read as negative, -1 at the end. */
  private charAt(p: number): number {
    if (p >= this.text.length) return -1;
    const c = this.text.charCodeAt(p);
    return c >= 0x80 ? c - 0x100 : c;
  }

  private readChar(): number {
    const c = this.charAt(this.pos);
    if (this.pos < this.text.length) this.pos++;
    return c;
  }

  private peekChar(): number {
    return this.charAt(this.pos);
  }

  /** One raw token, spaces and newlines included (`__read_token`). */
  readRaw(): Token {
    const start = this.pos;
    const at = (type: TokenType, text: string): Token => ({
      type,
      text,
      offset: this.baseOffset + start,
    });
    const ch = this.readChar();
    if (ch < 0) return at('none', '');
    const type = charType(ch);
    if (type === 'none') return at('none', '');
    let buf = String.fromCharCode(ch);
    switch (type) {
      case 'newline':
      case 'delim':
        return at(type, buf);
      case 'op':
        return at('op', buf + this.readOperatorTail(ch));
      case 'dquote':
      case 'squote':
        return this.readQuoted(type, ch, start);
      default:
        while (charType(this.peekChar()) === type) buf += String.fromCharCode(this.readChar());
        if (type === 'item') {
          const forced = FORCED_TOKENS[buf];
          if (forced !== undefined) return at('dquote', forced);
        }
        return at(type, buf);
    }
  }

  /** The rest of a multi-character operator: -> ++ -- || && >> << >>= <<= == != <= >= etc. */
  private readOperatorTail(first: number): string {
    const next = this.peekChar();
    let tail = '';
    const testEqual = (): string => {
      if (this.peekChar() === 0x3d) tail += String.fromCharCode(this.readChar());
      return tail;
    };
    if (first === 0x2d && next === 0x3e) return String.fromCharCode(this.readChar()); // ->
    switch (first) {
      case 0x2d: // '-'
      case 0x2b: // '+'
      case 0x7c: // '|'
      case 0x26: // '&'
      case 0x3e: // '>'
      case 0x3c: // '<'
        if (next !== first) return testEqual();
        tail += String.fromCharCode(this.readChar());
        if (first === 0x3e || first === 0x3c) return testEqual();
        return tail;
      case 0x21: // '!'
      case 0x3d: // '='
        return testEqual();
      default:
        return '';
    }
  }

  /**
   * A quoted string or character. Backslash escapes are kept as written (print fmt literals are
   * unescaped later). The string stops at any unprintable byte other than a newline, as in C.
   */
  private readQuoted(type: 'dquote' | 'squote', quote: number, start: number): Token {
    let buf = '';
    let ch = quote;
    for (;;) {
      let last: number;
      do {
        last = ch;
        ch = this.readChar();
        buf += ch < 0 ? '' : String.fromCharCode(ch & 0xff);
        if (ch === 0x5c && last === 0x5c) last = 0;
        if (ch <= 0) break;
      } while ((ch !== quote && isPrint(ch)) || last === 0x5c || ch === 0x0a);
      // The last character read is the closing quote (or whatever ended the string): drop it.
      if (ch >= 0) buf = buf.slice(0, -1);
      if (ch <= 0) return { type: 'none', text: buf, offset: this.baseOffset + start };
      if (type !== 'dquote') break;
      // "a" "b" is one string "ab".
      const save = this.pos;
      let c: number;
      do c = this.readChar();
      while (c >= 0 && isSpace(c));
      if (c !== 0x22) {
        this.pos = save;
        break;
      }
      ch = c;
    }
    return { type, text: buf, offset: this.baseOffset + start };
  }

  /** Next token, skipping spaces but not newlines (`tep_read_token`). */
  read(): Token {
    for (;;) {
      const t = this.readRaw();
      if (t.type !== 'space') return t;
    }
  }

  /** Next token, skipping spaces and newlines (`read_token_item`). */
  readItem(): Token {
    for (;;) {
      const t = this.readRaw();
      if (t.type !== 'space' && t.type !== 'newline') return t;
    }
  }
}
