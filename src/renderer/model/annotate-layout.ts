/**
 * Pure layout for the Annotate view: jump arrows in lanes beside the disassembly (short jumps
 * nearest the code, as objdump --visualize-jumps and perf's TUI draw them), the arrows that
 * cross a window of rows, and the heat colour of a share of the samples.
 */

export interface JumpArrow {
  /** Instruction indexes: the jump and where it goes. */
  from: number;
  to: number;
  /** 0 is the lane nearest the code. */
  lane: number;
}

/** Lanes drawn at most; further arrows share the outermost. */
export const MAX_LANES = 10;

/**
 * Arrows for `jumps[i]` (the index instruction i jumps to, or -1): shortest first, each in the
 * innermost lane where it overlaps no arrow already placed.
 */
export function layoutJumps(jumps: readonly number[]): { arrows: JumpArrow[]; lanes: number } {
  const spans = jumps
    .map((to, from) => ({ from, to }))
    .filter((j) => j.to >= 0 && j.to !== j.from)
    .sort((a, b) => Math.abs(a.to - a.from) - Math.abs(b.to - b.from) || a.from - b.from);
  const taken: [number, number][][] = [];
  const arrows: JumpArrow[] = [];
  for (const { from, to } of spans) {
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    let lane = 0;
    while (lane < MAX_LANES - 1 && taken[lane]?.some(([a, b]) => a <= hi && lo <= b)) lane++;
    (taken[lane] ??= []).push([lo, hi]);
    arrows.push({ from, to, lane });
  }
  arrows.sort((a, b) => a.from - b.from);
  return { arrows, lanes: Math.min(MAX_LANES, taken.length) };
}

/** The arrows with a part in rows [first, last]. */
export function arrowsInRows(
  arrows: readonly JumpArrow[],
  first: number,
  last: number,
): JumpArrow[] {
  return arrows.filter((a) => Math.max(a.from, a.to) >= first && Math.min(a.from, a.to) <= last);
}

/** The x of an arrow's lane in a gutter `right` pixels wide (lane 0 nearest the code). */
export function laneX(a: JumpArrow, right: number, laneWidth: number): number {
  return right - 10 - a.lane * laneWidth;
}

/** An SVG path for an arrow: out of the jump's row, along its lane, into the target's row. */
export function arrowPath(
  a: JumpArrow,
  rowCentre: (row: number) => number,
  right: number,
  laneWidth: number,
): string {
  const x = laneX(a, right, laneWidth);
  return `M${right - 2} ${rowCentre(a.from)}H${x}V${rowCentre(a.to)}H${right - 1}`;
}

/**
 * Background for a share (0..1) of the function's samples: transparent at 0, then from a faint
 * to a strong orange-red (square root, so that 1 % is still visible next to 90 %).
 */
export function heatColor(share: number): string | undefined {
  if (!(share > 0)) return undefined;
  const alpha = 0.1 + 0.65 * Math.sqrt(Math.min(1, share));
  return `rgb(235 87 35 / ${alpha.toFixed(3)})`;
}
