import type { CssPixels } from './canvas';

/** Horizontal padding inside a box before its label starts. */
export const LABEL_PADDING: CssPixels = 4;

/**
 * The part of `text` that fits `width` pixels in a monospace font whose characters are
 * `charWidth` wide: all of it, a prefix ending in `…`, or nothing when not even two characters
 * fit (a lone letter only adds noise).
 */
export function fitLabel(text: string, width: CssPixels, charWidth: CssPixels): string {
  const room = Math.floor((width - 2 * LABEL_PADDING) / charWidth);
  if (room < 2) return '';
  if (text.length <= room) return text;
  return `${text.slice(0, room - 1)}…`;
}
