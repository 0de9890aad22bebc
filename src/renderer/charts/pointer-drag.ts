/**
 * Follows a pointer from its press on a handle (a splitter, a column edge) until it is released
 * or cancelled: `move` gets how far it went from where it was pressed, in CSS pixels.
 */
export function followPointerDrag(
  event: PointerEvent,
  move: (dx: number, dy: number) => void,
): void {
  const handle = event.currentTarget as HTMLElement;
  handle.setPointerCapture(event.pointerId);
  const startX = event.clientX;
  const startY = event.clientY;
  const onMove = (e: PointerEvent): void => move(e.clientX - startX, e.clientY - startY);
  const end = (): void => {
    handle.removeEventListener('pointermove', onMove);
    handle.removeEventListener('pointerup', end);
    handle.removeEventListener('pointercancel', end);
  };
  handle.addEventListener('pointermove', onMove);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
