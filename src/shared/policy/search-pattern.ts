import { RE2JS } from 're2js';

/**
 * Function search patterns, declared once for the session (flame graph matches) and the renderer
 * (the search boxes). They are regular expressions in RE2 syntax (character classes,
 * alternation, anchors, repetition, `\b`, `\d`, `\p{L}`; no lookaround, no backreferences),
 * matched case-insensitively by `re2js`, an automaton: time linear in the name's length whatever
 * the pattern. JavaScript's backtracking RegExp is never given a user's pattern, since a pattern
 * like `(.*.*)*\x01` would run for hours and cannot be interrupted.
 */
export interface SearchPattern {
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

/** Longer patterns are refused: a search names a function, it is not a program. */
export const MAX_SEARCH_PATTERN_LENGTH = 1000;
/** RE2's own "program size" bound on how much work a pattern may cost per character. */
const MAX_PROGRAM_SIZE = 10_000;

export class SearchPatternError extends Error {
  override readonly name = 'SearchPatternError';
}

/** Compiles a pattern, or throws a SearchPatternError saying what is wrong with it. */
export function compileSearchPattern(pattern: string): SearchPattern {
  if (pattern.length > MAX_SEARCH_PATTERN_LENGTH) {
    throw new SearchPatternError(
      `the pattern has ${pattern.length} characters; at most ${MAX_SEARCH_PATTERN_LENGTH} are accepted`,
    );
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    // re2js says e.g. "error parsing regexp: invalid or unsupported Perl syntax: `(?=`".
    // (The flag shows in its quote as a `(?i)` prefix the user did not type.)
    const why = String((e as Error).message ?? e)
      .replace(/^error parsing regexp: /, '')
      .replace('`(?i)', '`');
    throw new SearchPatternError(`${why} (search patterns use RE2 syntax)`);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    throw new SearchPatternError('the pattern is too complex (fewer or smaller repetitions)');
  }
  return { test: (text) => re.test(text) };
}

/** What is wrong with a pattern, or undefined when it compiles. */
export function searchPatternError(pattern: string): string | undefined {
  try {
    compileSearchPattern(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
