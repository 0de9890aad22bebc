/**
 * At most one pending animation frame per drawing: any number of requests before the frame
 * collapse into one draw.
 */
export class FrameScheduler {
  private pending = 0;

  constructor(private readonly draw: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw();
    });
  }

  /** Draws now (tests, measurements) and drops a pending frame. */
  flush(): void {
    this.cancel();
    this.draw();
  }

  cancel(): void {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
  }
}
