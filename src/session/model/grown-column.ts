/** A column twice as long (at least 16) holding `column`'s rows: builders grow by doubling. */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(
  column: T,
  length: number,
): T {
  const next = new (column.constructor as { new (n: number): T })(2 * Math.max(8, length));
  next.set(column as never);
  return next;
}
