import type { CallchainFrame } from '../../shared/contract';

export type FrameKind = CallchainFrame['kind'];

/** FNV-1a: a stable hash, so a function keeps its colour across views and sessions. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x100000000;
}

/**
 * Box colours by kind: user code warm (flamegraph.pl's reds to yellows), kernel code cool
 * blues, and the two synthetic frames in fixed colours (and hatched when drawn) so they can
 * never be mistaken for code.
 */
export function frameFill(name: string, kind: FrameKind, dark: boolean): string {
  const key = `${kind}\u0000${dark ? 1 : 0}\u0000${name}`;
  let colour = cache.get(key);
  if (colour) return colour;
  const h = hashName(name);
  const v = hashName(name + '\u0001');
  switch (kind) {
    case 'user':
      colour = `hsl(${(8 + 42 * h).toFixed(1)} ${(72 + 14 * v).toFixed(1)}% ${(dark ? 56 : 63) + 8 * v}%)`;
      break;
    case 'kernel':
      colour = `hsl(${(188 + 32 * h).toFixed(1)} ${(48 + 16 * v).toFixed(1)}% ${(dark ? 55 : 66) + 7 * v}%)`;
      break;
    case 'unmerged':
      colour = dark ? 'hsl(0 45% 42%)' : 'hsl(0 60% 80%)';
      break;
    case 'deferred':
      colour = dark ? 'hsl(268 40% 48%)' : 'hsl(268 55% 82%)';
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  if (cache.size > 50_000) cache.clear();
  cache.set(key, colour);
  return colour;
}
const cache = new Map<string, string>();

/** Synthetic frames are hatched: unmerged (the user stack never arrived) and deferred cookies. */
export function isSyntheticKind(kind: FrameKind): boolean {
  return kind === 'unmerged' || kind === 'deferred';
}

/** Stripe colour of the hatching over a synthetic frame. */
export function hatchColor(kind: FrameKind, dark: boolean): string {
  if (kind === 'unmerged') return dark ? 'hsl(0 70% 62%)' : 'hsl(0 65% 55%)';
  return dark ? 'hsl(268 60% 70%)' : 'hsl(268 50% 58%)';
}

const patterns = new WeakMap<CanvasRenderingContext2D, Map<string, CanvasPattern | null>>();

/** A diagonal-stripe pattern (cached per context). */
export function hatchPattern(
  ctx: CanvasRenderingContext2D,
  kind: FrameKind,
  dark: boolean,
): CanvasPattern | null {
  let perContext = patterns.get(ctx);
  if (!perContext) patterns.set(ctx, (perContext = new Map()));
  const key = `${kind}${dark ? 1 : 0}`;
  if (perContext.has(key)) return perContext.get(key) ?? null;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  let pattern: CanvasPattern | null = null;
  if (t) {
    t.beginPath();
    if (kind === 'unmerged') {
      // unmerged: diagonal stripes
      t.strokeStyle = hatchColor(kind, dark);
      t.lineWidth = 2;
      t.moveTo(-2, 10);
      t.lineTo(10, -2);
      t.moveTo(-2, 2);
      t.lineTo(2, -2);
      t.moveTo(6, 10);
      t.lineTo(10, 6);
      t.stroke();
    } else {
      // deferred: dots, a texture unlike the unmerged stripes
      t.fillStyle = hatchColor(kind, dark);
      t.arc(4, 4, 1.4, 0, Math.PI * 2);
      t.fill();
    }
    pattern = ctx.createPattern(tile, 'repeat');
  }
  perContext.set(key, pattern);
  return pattern;
}
