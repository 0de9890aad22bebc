/**
 * A 2D context that records what is drawn, for testing drawing code without a real canvas
 * (happy-dom has none): boxes as `fillRect x y w h style`, labels as `text x "label"`.
 */
export class RecordingContext {
  readonly calls: string[] = [];
  fillStyle: unknown = '';
  strokeStyle: unknown = '';
  lineWidth = 1;
  font = '';
  textBaseline = 'alphabetic';
  private readonly rects: number[][] = [];

  fillRect(x: number, y: number, w: number, h: number): void {
    this.calls.push(`fillRect ${r(x)} ${r(y)} ${r(w)} ${r(h)} ${String(this.fillStyle)}`);
  }
  strokeRect(x: number, y: number, w: number, h: number): void {
    this.calls.push(`strokeRect ${r(x)} ${r(y)} ${r(w)} ${r(h)}`);
  }
  fillText(text: string, x: number): void {
    this.calls.push(`text ${r(x)} "${text}"`);
  }
  measureText(text: string): { width: number } {
    return { width: 7 * text.length };
  }
  beginPath(): void {
    this.rects.length = 0;
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.rects.push([x, y, w, h]);
  }
  fill(): void {
    for (const [x, y, w, h] of this.rects) {
      this.calls.push(`rect ${r(x!)} ${r(y!)} ${r(w!)} ${r(h!)} ${String(this.fillStyle)}`);
    }
  }
  putImageData(image: ImageData, x: number, y: number): void {
    this.calls.push(`putImageData ${image.width}x${image.height} at ${x} ${y}`);
  }
  save(): void {}
  restore(): void {}
  // what prepareCanvas does to a context before drawing
  setTransform(): void {}
  clearRect(): void {}
  moveTo(): void {}
  lineTo(): void {}
  arc(): void {}
  stroke(): void {}
  createPattern(): null {
    return null;
  }

  /** The recorded calls of one kind. */
  only(kind: 'fillRect' | 'text' | 'rect' | 'strokeRect' | 'putImageData'): string[] {
    return this.calls.filter((c) => c.startsWith(`${kind} `));
  }

  asContext(): CanvasRenderingContext2D {
    return this as unknown as CanvasRenderingContext2D;
  }
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** An ImageData without a canvas (happy-dom has none). */
export function fakeImageData(width: number, height: number): ImageData {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) } as ImageData;
}
