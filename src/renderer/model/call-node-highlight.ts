import type { FlameGraphAnswer } from '../../shared/contract';

/**
 * The flame graph node showing a top-down call path (function indexes from the root), or -1.
 * Nodes come depth first; a zoomed answer's depth 0 is the last function of its focus.
 */
export function flameNodeOfPath(answer: FlameGraphAnswer, path: readonly number[]): number {
  const offset = Math.max(0, answer.focus.length - 1);
  for (let k = 0; k < offset; k++) if (answer.focus[k] !== path[k]) return -1;
  const want = path.length - 1 - offset;
  if (want < 0) return -1;
  let matched = 0; // how many path entries below `offset` the current branch matches
  for (let i = 0; i < answer.depth.length; i++) {
    const depth = answer.depth[i]!;
    if (depth > matched) continue; // inside a branch that left the path
    matched = depth;
    if (answer.func[i] !== path[offset + depth]) continue;
    if (depth === want) return i;
    matched = depth + 1;
  }
  return -1;
}
