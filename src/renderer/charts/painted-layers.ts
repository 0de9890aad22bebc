/**
 * Pictures a chart painted, by what they show (an answer, and a key for everything else drawn:
 * view, size, scroll, theme, search), kept beyond the view's life: a tab opened again, or a
 * pointer moving over the chart, puts its picture back instead of painting thousands of boxes
 * again. What a picture is belongs to the chart (pixels and what to draw over them); reading a
 * canvas back would cost more than painting (`getImageData` rasterises the canvas at once, 9–19
 * ms for the flame chart). The `capacity` most recently used are kept.
 */
export class PaintedLayers<Owner extends object, Picture> {
  private readonly entries: { owner: Owner; key: string; picture: Picture }[] = [];

  constructor(private readonly capacity: number) {}

  /** The picture of `owner` under `key`, if kept. */
  find(owner: Owner, key: string): Picture | undefined {
    const at = this.entries.findIndex((e) => e.owner === owner && e.key === key);
    if (at < 0) return undefined;
    const [hit] = this.entries.splice(at, 1);
    this.entries.push(hit!);
    return hit!.picture;
  }

  keep(owner: Owner, key: string, picture: Picture): void {
    this.entries.push({ owner, key, picture });
    while (this.entries.length > this.capacity) this.entries.shift();
  }
}
