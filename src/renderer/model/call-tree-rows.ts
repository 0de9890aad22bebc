import type { CallTreeAnswer } from '../../shared/contract';

/** A call node's identity across answers: its path of function indexes, comma-joined. */
export function pathKey(path: readonly number[]): string {
  return path.join(',');
}

export interface CallTreeRows {
  /** The row's path (function indexes from the tree's root). */
  path(row: number): number[];
  key(row: number): string;
  /** The row showing the node with this key, -1 when it is not shown. */
  rowOf(key: string): number;
}

/**
 * Paths and keys of a call-tree answer's rows, made on first use: a row's path is its parent's
 * plus its own function (rows come depth first, parents before children).
 */
export function callTreeRows(answer: CallTreeAnswer): CallTreeRows {
  const keys: (string | undefined)[] = new Array(answer.func.length);
  const key = (row: number): string => {
    let k = keys[row];
    if (k === undefined) {
      const parent = answer.parent[row]!;
      const own = String(answer.func[row]);
      k = parent < 0 ? own : `${key(parent)},${own}`;
      keys[row] = k;
    }
    return k;
  };
  let index: Map<string, number> | undefined;
  return {
    key,
    path: (row) => key(row).split(',').map(Number),
    rowOf(k) {
      if (!index) {
        index = new Map();
        for (let r = 0; r < answer.func.length; r++) index.set(key(r), r);
      }
      return index.get(k) ?? -1;
    },
  };
}
