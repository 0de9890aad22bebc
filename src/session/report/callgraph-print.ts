import { cFixed } from './c-format';
import type { CallchainNode, CallchainRoot, CursorNode } from './callchain-tree';
import { symbolName } from './hist-entry';
import { hexAlt } from './u64-order';

/** How call graphs print (perf's callchain_param as -g sets it). */
export interface GraphStyle {
  /** graph: percentages of the event's total; fractal: of the parent node. */
  readonly mode: 'graph' | 'fractal';
  readonly value: 'percent' | 'period' | 'count';
  /** Stop after this many children per node (0: no limit). */
  readonly printLimit: number;
  /**
   * The report sorts by symbol first (`--sort sym...`): a single chain starts with the entry's
   * own symbol, which perf then leaves out.
   */
  readonly skipOwnSymbol: boolean;
}

/** perf's callchain_list__sym_name: the symbol, or the raw address as %#lx. */
function entryName(e: CursorNode): string {
  return e.sym ? symbolName(e.sym) : hexAlt(e.ip);
}

function leftMargin(margin: number): string {
  return ' '.repeat(12 + margin);
}

/** Prints the call graphs of hist entries as perf's ui/stdio/hist.c does. */
export class CallGraphPrinter {
  constructor(private readonly style: GraphStyle) {}

  private value(node: { cumulHits: number; cumulCount: number }, total: number): string {
    switch (this.style.value) {
      case 'percent':
        return `${cFixed(total ? (node.cumulHits * 100) / total : 0, 2)}%`;
      case 'period':
        return String(node.cumulHits);
      case 'count':
        return String(node.cumulCount);
      default: {
        const never: never = this.style.value;
        return never;
      }
    }
  }

  /**
   * perf's callchain__fprintf_graph: `total` is the event's total period, `parent` the entry's
   * (self, or with --children its accumulated) period.
   */
  format(root: CallchainRoot, total: number, parent: number): string {
    let out = '';
    let top = root.node;
    let margin = 0;
    const first = top.sorted[0];
    // One chain carrying the whole entry: print it without a percentage, a level less deep.
    if (first && top.sorted.length === 1 && first.cumulHits === parent) {
      let printed = false;
      let count = 0;
      for (let i = 0; i < first.val.length; i++) {
        if (i === 0 && this.style.skipOwnSymbol) continue;
        if (!printed) {
          out += `${leftMargin(margin)}|\n${leftMargin(margin)}---`;
          margin += 3;
          printed = true;
        } else {
          out += leftMargin(margin);
        }
        out += `${entryName(first.val[i]!)}\n`;
        if (++count === this.style.printLimit) break;
      }
      top = first;
    }
    const levelTotal = this.style.mode === 'fractal' ? parent : total;
    out += this.level(top, levelTotal, 1, 1, margin);
    return out ? `${out}\n` : '';
  }

  /** perf's __callchain__fprintf_graph: the children of `parent`, with the `|` rails. */
  private level(
    parent: CallchainNode,
    total: number,
    depth: number,
    depthMask: number,
    margin: number,
  ): string {
    let out = '';
    let remaining = total;
    let newMask = depthMask;
    let printed = 0;
    let printedCount = 0;
    const fractal = this.style.mode === 'fractal';
    const children = parent.sorted;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      remaining -= child.cumulHits;
      printedCount += child.cumulCount;
      // The last child drops its rail, unless a "[...]" line for filtered hits follows.
      if (i === children.length - 1 && (!fractal || !remaining)) newMask &= ~(1 << (depth - 1));
      out += this.graphLine(depth, depthMask, margin);
      for (let j = 0; j < child.val.length; j++) {
        out += this.entryLine(child, child.val[j]!, depth, newMask, j, total, margin);
      }
      const childTotal = fractal ? child.childrenHit : total;
      out += this.level(child, childTotal, depth + 1, newMask | (1 << depth), margin);
      if (++printed === this.style.printLimit) break;
    }
    if (fractal && remaining && remaining !== total) {
      let count = 0;
      if (this.style.value === 'count' && printed > 0) {
        count = parent.childrenCount - printedCount;
        if (count <= 0) return out;
      }
      newMask &= ~(1 << (depth - 1));
      const rest = { cumulHits: remaining, cumulCount: count };
      out += this.entryLine(rest, undefined, depth, newMask, 0, total, margin);
    }
    return out;
  }

  /** perf's ipchain__fprintf_graph_line: the rails between two children. */
  private graphLine(depth: number, mask: number, margin: number): string {
    let out = leftMargin(margin);
    for (let i = 0; i < depth; i++) out += mask & (1 << i) ? '|          ' : '           ';
    return `${out}\n`;
  }

  /** perf's ipchain__fprintf_graph: one entry; the first of a child carries its value. */
  private entryLine(
    node: { cumulHits: number; cumulCount: number },
    entry: CursorNode | undefined,
    depth: number,
    mask: number,
    index: number,
    total: number,
    margin: number,
  ): string {
    let out = leftMargin(margin);
    for (let i = 0; i < depth; i++) {
      out += mask & (1 << i) ? '|' : ' ';
      out += index === 0 && i === depth - 1 ? `--${this.value(node, total)}--` : '          ';
    }
    return `${out}${entry ? entryName(entry) : '[...]'}\n`;
  }
}
