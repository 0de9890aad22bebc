/**
 * An index-based red-black tree with exactly the rebalancing of Linux's
 * lib/rbtree.c (rb_insert_color, rb_erase, rb_next), which perf 6.1 uses for
 * a DSO's symbols.
 *
 * Why replicate the kernel's tree instead of using a sorted array: perf's
 * symbols__find() walks this tree and returns the first node on the path
 * that contains the address. When symbols overlap, or several symbols
 * share a start address (perf-PID.map files often do), which one perf
 * prints depends on the tree's shape, i.e. on the exact sequence of
 * inserts, rotations and erases. Reproducing the shape reproduces perf.
 *
 * Nodes are integers; -1 is NULL. The caller owns the keys and decides
 * where a new node is linked (see SymbolTree), like rb_link_node().
 */

const NIL = -1;
const RED = 0;
const BLACK = 1;

export class RbTree {
  root = NIL;
  private parentOf: Int32Array;
  private leftOf: Int32Array;
  private rightOf: Int32Array;
  private colorOf: Uint8Array;

  constructor(initialCapacity = 64) {
    const n = Math.max(4, initialCapacity);
    this.parentOf = new Int32Array(n);
    this.leftOf = new Int32Array(n);
    this.rightOf = new Int32Array(n);
    this.colorOf = new Uint8Array(n);
  }

  left(node: number): number {
    return this.leftOf[node]!;
  }

  right(node: number): number {
    return this.rightOf[node]!;
  }

  parent(node: number): number {
    return this.parentOf[node]!;
  }

  /** rb_link_node(): attach a new red leaf under `parent` (NIL: as the root). */
  link(node: number, parent: number, asLeftChild: boolean): void {
    this.ensureCapacity(node + 1);
    this.parentOf[node] = parent;
    this.colorOf[node] = RED;
    this.leftOf[node] = NIL;
    this.rightOf[node] = NIL;
    if (parent === NIL) this.root = node;
    else if (asLeftChild) this.leftOf[parent] = node;
    else this.rightOf[parent] = node;
  }

  /**
   * Links nodes 0 … n-1 (keys ascending) into this empty tree as a balanced one: each range's
   * middle node above its halves, the deepest level red. Its shape is not the one n inserts would
   * give: only for keys where every search tree answers a lookup alike (SymbolTree.insertAll).
   */
  buildBalanced(n: number): void {
    if (this.root !== NIL) throw new Error('rb-tree: buildBalanced needs an empty tree');
    this.ensureCapacity(n);
    // every node above the deepest level has both children, so each path has `deepest` blacks
    const deepest = n > 0 ? 31 - Math.clz32(n) : 0;
    const build = (lo: number, hi: number, parent: number, depth: number): number => {
      if (lo > hi) return NIL;
      const mid = (lo + hi) >>> 1;
      this.parentOf[mid] = parent;
      this.colorOf[mid] = depth === deepest && depth > 0 ? RED : BLACK;
      this.leftOf[mid] = build(lo, mid - 1, mid, depth + 1);
      this.rightOf[mid] = build(mid + 1, hi, mid, depth + 1);
      return mid;
    };
    this.root = build(0, n - 1, NIL, 0);
  }

  /** rb_first(): the leftmost node. */
  first(): number {
    let n = this.root;
    if (n === NIL) return NIL;
    while (this.leftOf[n] !== NIL) n = this.leftOf[n]!;
    return n;
  }

  /** rb_next(): in-order successor. */
  next(node: number): number {
    let n = node;
    if (this.rightOf[n] !== NIL) {
      n = this.rightOf[n]!;
      while (this.leftOf[n] !== NIL) n = this.leftOf[n]!;
      return n;
    }
    let p = this.parentOf[n]!;
    while (p !== NIL && n === this.rightOf[p]) {
      n = p;
      p = this.parentOf[n]!;
    }
    return p;
  }

  /** __rb_insert() after link(): restore the red-black properties. */
  insertColor(inserted: number): void {
    const P = this.parentOf;
    const L = this.leftOf;
    const R = this.rightOf;
    const C = this.colorOf;
    let node = inserted;
    let parent = P[node]!;
    for (;;) {
      if (parent === NIL) {
        C[node] = BLACK; // the root is black
        break;
      }
      if (C[parent] === BLACK) break;
      const gparent = P[parent]!;
      let tmp = R[gparent]!;
      if (parent !== tmp) {
        // parent is gparent's left child
        if (tmp !== NIL && C[tmp] === RED) {
          // Case 1: colour flips, continue from the grandparent
          C[tmp] = BLACK;
          C[parent] = BLACK;
          node = gparent;
          parent = P[node]!;
          C[node] = RED;
          continue;
        }
        tmp = R[parent]!;
        if (node === tmp) {
          // Case 2: left rotate at parent
          tmp = L[node]!;
          R[parent] = tmp;
          L[node] = parent;
          if (tmp !== NIL) this.setParentColor(tmp, parent, BLACK);
          this.setParentColor(parent, node, RED);
          parent = node;
          tmp = R[node]!;
        }
        // Case 3: right rotate at gparent
        L[gparent] = tmp;
        R[parent] = gparent;
        if (tmp !== NIL) this.setParentColor(tmp, gparent, BLACK);
        this.rotateSetParents(gparent, parent, RED);
        break;
      } else {
        tmp = L[gparent]!;
        if (tmp !== NIL && C[tmp] === RED) {
          C[tmp] = BLACK;
          C[parent] = BLACK;
          node = gparent;
          parent = P[node]!;
          C[node] = RED;
          continue;
        }
        tmp = L[parent]!;
        if (node === tmp) {
          tmp = R[node]!;
          L[parent] = tmp;
          R[node] = parent;
          if (tmp !== NIL) this.setParentColor(tmp, parent, BLACK);
          this.setParentColor(parent, node, RED);
          parent = node;
          tmp = L[node]!;
        }
        R[gparent] = tmp;
        L[parent] = gparent;
        if (tmp !== NIL) this.setParentColor(tmp, gparent, BLACK);
        this.rotateSetParents(gparent, parent, RED);
        break;
      }
    }
  }

  /** rb_erase(): unlink a node and rebalance. */
  erase(node: number): void {
    const P = this.parentOf;
    const L = this.leftOf;
    const R = this.rightOf;
    const C = this.colorOf;
    const child = R[node]!;
    let tmp = L[node]!;
    let rebalance = NIL;

    if (tmp === NIL) {
      // Case 1: at most one child (the right one)
      const parent = P[node]!;
      const color = C[node]!;
      this.changeChild(node, child, parent);
      if (child !== NIL) {
        P[child] = parent;
        C[child] = color;
      } else if (color === BLACK) {
        rebalance = parent;
      }
    } else if (child === NIL) {
      // Still case 1, the only child is the left one
      const parent = P[node]!;
      P[tmp] = parent;
      C[tmp] = C[node]!;
      this.changeChild(node, tmp, parent);
    } else {
      let successor = child;
      let parent: number;
      let child2: number;
      tmp = L[child]!;
      if (tmp === NIL) {
        // Case 2: the successor is the right child
        parent = successor;
        child2 = R[successor]!;
      } else {
        // Case 3: the successor is leftmost under the right child
        do {
          parent = successor;
          successor = tmp;
          tmp = L[tmp]!;
        } while (tmp !== NIL);
        child2 = R[successor]!;
        L[parent] = child2;
        R[successor] = child;
        P[child] = successor;
      }
      tmp = L[node]!;
      L[successor] = tmp;
      P[tmp] = successor;

      const nodeParent = P[node]!;
      const nodeColor = C[node]!;
      this.changeChild(node, successor, nodeParent);

      if (child2 !== NIL) {
        P[successor] = nodeParent;
        C[successor] = nodeColor;
        this.setParentColor(child2, parent, BLACK);
      } else {
        const successorColor = C[successor]!;
        P[successor] = nodeParent;
        C[successor] = nodeColor;
        if (successorColor === BLACK) rebalance = parent;
      }
    }
    if (rebalance !== NIL) this.eraseColor(rebalance);
  }

  /** ____rb_erase_color(): fix a black-height deficit below `parentNode`. */
  private eraseColor(parentNode: number): void {
    const P = this.parentOf;
    const L = this.leftOf;
    const R = this.rightOf;
    const C = this.colorOf;
    let node = NIL;
    let parent = parentNode;
    for (;;) {
      let sibling = R[parent]!;
      if (node !== sibling) {
        // node is the left child
        if (C[sibling] === RED) {
          // Case 1: left rotate at parent
          const t1 = L[sibling]!;
          R[parent] = t1;
          L[sibling] = parent;
          this.setParentColor(t1, parent, BLACK);
          this.rotateSetParents(parent, sibling, RED);
          sibling = t1;
        }
        let tmp1 = R[sibling]!;
        if (tmp1 === NIL || C[tmp1] === BLACK) {
          const tmp2 = L[sibling]!;
          if (tmp2 === NIL || C[tmp2] === BLACK) {
            // Case 2: sibling colour flip
            this.setParentColor(sibling, parent, RED);
            if (C[parent] === RED) {
              C[parent] = BLACK;
            } else {
              node = parent;
              parent = P[node]!;
              if (parent !== NIL) continue;
            }
            break;
          }
          // Case 3: right rotate at sibling
          tmp1 = R[tmp2]!;
          L[sibling] = tmp1;
          R[tmp2] = sibling;
          R[parent] = tmp2;
          if (tmp1 !== NIL) this.setParentColor(tmp1, sibling, BLACK);
          tmp1 = sibling;
          sibling = tmp2;
        }
        // Case 4: left rotate at parent + colour flips
        const tmp2 = L[sibling]!;
        R[parent] = tmp2;
        L[sibling] = parent;
        this.setParentColor(tmp1, sibling, BLACK);
        if (tmp2 !== NIL) P[tmp2] = parent;
        this.rotateSetParents(parent, sibling, BLACK);
        break;
      } else {
        sibling = L[parent]!;
        if (C[sibling] === RED) {
          const t1 = R[sibling]!;
          L[parent] = t1;
          R[sibling] = parent;
          this.setParentColor(t1, parent, BLACK);
          this.rotateSetParents(parent, sibling, RED);
          sibling = t1;
        }
        let tmp1 = L[sibling]!;
        if (tmp1 === NIL || C[tmp1] === BLACK) {
          const tmp2 = R[sibling]!;
          if (tmp2 === NIL || C[tmp2] === BLACK) {
            this.setParentColor(sibling, parent, RED);
            if (C[parent] === RED) {
              C[parent] = BLACK;
            } else {
              node = parent;
              parent = P[node]!;
              if (parent !== NIL) continue;
            }
            break;
          }
          tmp1 = L[tmp2]!;
          R[sibling] = tmp1;
          L[tmp2] = sibling;
          L[parent] = tmp2;
          if (tmp1 !== NIL) this.setParentColor(tmp1, sibling, BLACK);
          tmp1 = sibling;
          sibling = tmp2;
        }
        const tmp2 = R[sibling]!;
        L[parent] = tmp2;
        R[sibling] = parent;
        this.setParentColor(tmp1, sibling, BLACK);
        if (tmp2 !== NIL) P[tmp2] = parent;
        this.rotateSetParents(parent, sibling, BLACK);
        break;
      }
    }
  }

  private setParentColor(node: number, parent: number, color: number): void {
    this.parentOf[node] = parent;
    this.colorOf[node] = color;
  }

  /** __rb_rotate_set_parents(): `replacement` takes `old`'s place and colour. */
  private rotateSetParents(old: number, replacement: number, color: number): void {
    const parent = this.parentOf[old]!;
    this.parentOf[replacement] = parent;
    this.colorOf[replacement] = this.colorOf[old]!;
    this.setParentColor(old, replacement, color);
    this.changeChild(old, replacement, parent);
  }

  private changeChild(old: number, replacement: number, parent: number): void {
    if (parent === NIL) this.root = replacement;
    else if (this.leftOf[parent] === old) this.leftOf[parent] = replacement;
    else this.rightOf[parent] = replacement;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.parentOf.length) return;
    const size = Math.max(n, this.parentOf.length * 2);
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (len: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.parentOf = grow(this.parentOf, (len) => new Int32Array(len));
    this.leftOf = grow(this.leftOf, (len) => new Int32Array(len));
    this.rightOf = grow(this.rightOf, (len) => new Int32Array(len));
    this.colorOf = grow(this.colorOf, (len) => new Uint8Array(len));
  }

  /** For tests: check the red-black invariants; returns the black height. */
  checkInvariants(): number {
    const walk = (n: number, parent: number): number => {
      if (n === NIL) return 1;
      if (this.parentOf[n] !== parent)
        throw new Error(`rb-tree: node ${n} has a wrong parent link`);
      if (this.colorOf[n] === RED) {
        const l = this.leftOf[n]!;
        const r = this.rightOf[n]!;
        if ((l !== NIL && this.colorOf[l] === RED) || (r !== NIL && this.colorOf[r] === RED)) {
          throw new Error(`rb-tree: red node ${n} has a red child`);
        }
      }
      const hl = walk(this.leftOf[n]!, n);
      const hr = walk(this.rightOf[n]!, n);
      if (hl !== hr) throw new Error(`rb-tree: black heights differ under node ${n}`);
      return hl + (this.colorOf[n] === BLACK ? 1 : 0);
    };
    if (this.root !== NIL && this.colorOf[this.root] !== BLACK)
      throw new Error('rb-tree: red root');
    return walk(this.root, NIL);
  }
}

export const RB_NIL = NIL;
