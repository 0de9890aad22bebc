import { TRANSFORM_KINDS, type Transform, type TransformKind } from '../contract/session-api';

/**
 * Transforms as text, `KIND:NAME` (the command line's `--transform`, the breadcrumb's labels):
 * `merge-function:malloc`, `collapse-library:libc.so.6`, `focus-subtree:main;parse;lex` (the
 * call path root first, `;`-separated, as in folded stacks). The kind ends at the first colon, so
 * C++ names (`ns::f`) need no quoting.
 */
export function parseTransform(text: string): Transform {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const name = colon < 0 ? '' : text.slice(colon + 1);
  if (!TRANSFORM_KINDS.includes(kind as TransformKind)) {
    throw new Error(
      `unknown transform "${kind.slice(0, 60)}": expected KIND:NAME with KIND one of ${TRANSFORM_KINDS.join(', ')}`,
    );
  }
  if (name === '') throw new Error(`transform ${kind} needs a name after the colon`);
  if (kind === 'focus-subtree') {
    const path = name.split(';');
    if (path.some((p) => p === ''))
      throw new Error(`focus-subtree:${name}: empty function name in the call path`);
    return { kind, path };
  }
  return { kind: kind as Exclude<TransformKind, 'focus-subtree'>, name };
}

export function formatTransform(t: Transform): string {
  return t.kind === 'focus-subtree' ? `${t.kind}:${t.path.join(';')}` : `${t.kind}:${t.name}`;
}
