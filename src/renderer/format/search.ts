/**
 * Search patterns are regular expressions, matched case-insensitively against function names,
 * as the session does (`searchRegex` in session/query/func-info.ts).
 */
export function searchPatternError(pattern: string): string | undefined {
  if (!pattern) return undefined;
  try {
    new RegExp(pattern, 'i');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function compileSearch(pattern: string): RegExp | undefined {
  if (!pattern || searchPatternError(pattern)) return undefined;
  return new RegExp(pattern, 'i');
}

/** A pattern matching exactly this name (for "show this function in the flame graph"). */
export function exactNamePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
