import {
  compileSearchPattern,
  searchPatternError as patternError,
  type SearchPattern,
} from '../../shared/policy/search-pattern';

/**
 * Search patterns are RE2 regular expressions, matched case-insensitively against function names
 * in linear time, by the same code as the session's (shared/policy/search-pattern.ts).
 */
export function searchPatternError(pattern: string): string | undefined {
  return pattern ? patternError(pattern) : undefined;
}

export function compileSearch(pattern: string): SearchPattern | undefined {
  if (!pattern) return undefined;
  try {
    return compileSearchPattern(pattern);
  } catch {
    return undefined;
  }
}

/** A pattern matching exactly this name (for "show this function in the flame graph"). */
export function exactNamePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
