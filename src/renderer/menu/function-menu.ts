import type { Transform } from '../../shared/contract';

/** The function a context menu was opened on, as the view that opened it knows it. */
export interface FunctionTarget {
  /** Function index (for "show in call tree"); undefined where the view has none. */
  func?: number;
  name: string;
  lib: string;
  /**
   * The call path to it, names root first (flame graph, call tree, a sample's callchain), or,
   * for a node of the inverted call tree, names from the leaf; undefined where there is no path.
   */
  path?: string[];
  inverted?: boolean;
}

export type MenuCommand =
  | { type: 'transform'; transform: Transform }
  | { type: 'copy'; text: string }
  | { type: 'show'; where: 'flame-graph' | 'call-tree' }
  | { type: 'search' }
  | { type: 'annotate'; func: number };

export interface MenuItem {
  label: string;
  command: MenuCommand;
  /** Starts a new group (a separator above it). */
  group?: boolean;
}

/** Libraries a frame can be collapsed into: real files and the kernel, not `[unknown]`. */
function collapsibleLib(lib: string): boolean {
  return lib !== '' && lib !== '[unknown]';
}

/** What the context menu of a function offers, in order. */
export function functionMenu(target: FunctionTarget): MenuItem[] {
  const { name, lib, path } = target;
  const items: MenuItem[] = [
    { label: 'Merge function', command: transform({ kind: 'merge-function', name }) },
    { label: 'Focus on function', command: transform({ kind: 'focus-function', name }) },
  ];
  if (path?.length) {
    items.push({
      label: target.inverted ? 'Focus on calls made by this path' : 'Focus on subtree only',
      command: transform({
        kind: 'focus-subtree',
        path: [...path],
        ...(target.inverted ? { inverted: true } : {}),
      }),
    });
  }
  items.push(
    { label: 'Collapse recursion', command: transform({ kind: 'collapse-recursion', name }) },
    {
      label: 'Collapse direct recursion only',
      command: transform({ kind: 'collapse-direct-recursion', name }),
    },
  );
  if (collapsibleLib(lib)) {
    items.push({
      label: `Collapse ${lib}`,
      command: transform({ kind: 'collapse-library', name: lib }),
    });
  }
  items.push(
    {
      label: 'Drop samples with this function',
      command: transform({ kind: 'drop-function', name }),
    },
    { label: 'Copy function name', command: { type: 'copy', text: name }, group: true },
  );
  if (path?.length) {
    const rootFirst = target.inverted ? [...path].reverse() : path;
    items.push({ label: 'Copy stack', command: { type: 'copy', text: rootFirst.join('\n') } });
  }
  items.push(
    { label: 'Show in flame graph', command: { type: 'show', where: 'flame-graph' }, group: true },
    { label: 'Show in call tree', command: { type: 'show', where: 'call-tree' } },
    { label: 'Search for this function', command: { type: 'search' } },
  );
  // Annotate needs the function's index (to ask the session for its code) and a library file:
  // kernel and unknown frames have no code to disassemble here.
  if (target.func !== undefined && collapsibleLib(lib) && !lib.startsWith('[')) {
    items.push({
      label: 'Annotate',
      command: { type: 'annotate', func: target.func },
      group: true,
    });
  }
  return items;
}

function transform(t: Transform): MenuCommand {
  return { type: 'transform', transform: t };
}

/** The breadcrumb's words for a transform. */
export function transformLabel(t: Transform): string {
  switch (t.kind) {
    case 'focus-function':
      return `Focus: ${t.name}`;
    case 'focus-subtree':
      return `Focus${t.inverted ? ' (inverted)' : ''}: ${t.path[t.path.length - 1] ?? ''}`;
    case 'merge-function':
      return `Merge: ${t.name}`;
    case 'drop-function':
      return `Drop: ${t.name}`;
    case 'collapse-recursion':
      return `Collapse recursion: ${t.name}`;
    case 'collapse-direct-recursion':
      return `Collapse direct recursion: ${t.name}`;
    case 'collapse-library':
      return `Collapse: ${t.name}`;
    default: {
      const never: never = t;
      return String(never);
    }
  }
}

/** Boxes of a flame chart answer, as far as the menu needs them. */
interface ChartBoxes {
  depth: ArrayLike<number>;
  boxStart: ArrayLike<number>;
  boxEnd: ArrayLike<number>;
  func: ArrayLike<number>;
}

/**
 * The call path (function indexes, root first) of a flame chart box: at each shallower depth,
 * the box that spans it.
 */
export function chartBoxPath(answer: ChartBoxes, box: number): number[] {
  const path = [answer.func[box]!];
  const start = answer.boxStart[box]!;
  const end = answer.boxEnd[box]!;
  for (let depth = answer.depth[box]! - 1; depth >= 0; depth--) {
    for (let i = 0; i < answer.depth.length; i++) {
      if (answer.depth[i] === depth && answer.boxStart[i]! <= start && answer.boxEnd[i]! >= end) {
        path.push(answer.func[i]!);
        break;
      }
    }
  }
  return path.reverse();
}

/** An answer that names its functions (flame graph, flame chart, call tree). */
interface NamedFuncs {
  func: ArrayLike<number>;
  funcs: Record<number, { name: string; lib: string } | undefined>;
}

/** The menu target for entry `at` of an answer, with its call path (function indexes). */
export function answerTarget(
  answer: NamedFuncs,
  at: number,
  path: readonly number[],
  inverted = false,
): FunctionTarget {
  const func = answer.func[at]!;
  const info = answer.funcs[func];
  return {
    func,
    name: info?.name ?? '?',
    lib: info?.lib ?? '',
    path: path.map((f) => answer.funcs[f]?.name ?? '?'),
    ...(inverted ? { inverted } : {}),
  };
}
