type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

/**
 * A typed-array column that grows while a table is built (doubling), and finishes into a
 * right-sized array that never changes.
 */
export class Growable<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The final column: a copy of exactly `length` elements. */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Interns strings into the profile's string table. */
export class StringInterner {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
