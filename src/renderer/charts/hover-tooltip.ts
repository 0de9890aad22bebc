/** What a chart's tooltip says: a title (a function name), a subtitle and label/value lines. */
export interface TooltipContent {
  title: string;
  subtitle?: string;
  /** A short tag shown beside the title: `kernel`, `user`, `unmerged`, `deferred`. */
  tag?: { text: string; kind: string };
  lines: { label: string; value: string }[];
  note?: string;
}

/**
 * A tooltip element driven directly, outside Vue's reactivity: the pointer moves far more often
 * than anything else changes. Text goes in with textContent only (function names come from
 * binaries and may contain anything).
 */
export class HoverTooltip {
  private shownTitle: string | undefined;

  constructor(private readonly el: HTMLElement) {
    el.hidden = true;
  }

  show(content: TooltipContent, clientX: number, clientY: number): void {
    const key = `${content.title}\u0000${content.lines.map((l) => l.value).join('\u0000')}`;
    if (key !== this.shownTitle) {
      this.shownTitle = key;
      this.render(content);
    }
    this.el.hidden = false;
    const pad = 14;
    const rect = this.el.getBoundingClientRect();
    let left = clientX + pad;
    let top = clientY + pad;
    if (left + rect.width > window.innerWidth - 4) left = Math.max(4, clientX - pad - rect.width);
    if (top + rect.height > window.innerHeight - 4) top = Math.max(4, clientY - pad - rect.height);
    this.el.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  hide(): void {
    this.el.hidden = true;
    this.shownTitle = undefined;
  }

  private render(content: TooltipContent): void {
    const doc = this.el.ownerDocument;
    const make = (tag: string, className: string, text?: string): HTMLElement => {
      const node = doc.createElement(tag);
      node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const head = make('div', 'tt-head');
    head.append(make('span', 'tt-title', content.title));
    if (content.tag) head.append(make('span', `badge ${content.tag.kind}`, content.tag.text));
    const parts: HTMLElement[] = [head];
    if (content.subtitle) parts.push(make('div', 'tt-subtitle', content.subtitle));
    const grid = make('div', 'tt-grid');
    for (const line of content.lines) {
      grid.append(make('span', 'tt-label', line.label), make('span', 'tt-value', line.value));
    }
    parts.push(grid);
    if (content.note) parts.push(make('div', 'tt-note', content.note));
    this.el.replaceChildren(...parts);
  }
}

/** A HoverTooltip on an element that exists once the view is mounted, made on first use. */
export function lazyTooltip(el: () => HTMLElement | undefined): () => HoverTooltip | undefined {
  let tooltip: HoverTooltip | undefined;
  return () => {
    const target = el();
    if (!tooltip && target) tooltip = new HoverTooltip(target);
    return tooltip;
  };
}
