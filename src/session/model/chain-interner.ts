import { NO_WORDS, type U64Words } from '../perf-data/u64';
import { grown } from '../../shared/model/table-builders';

/** Entries hashed at each end of a chain (stacks differ near the leaf and near the root)... */
const HASHED_LEAF_ENTRIES = 8;
const HASHED_ROOT_ENTRIES = 4;
/** ...and every third one between them (deep stacks also differ in the middle, e.g. recursion). */
const MIDDLE_STRIDE_WORDS = 6;

/**
 * The hashes' multiplier, odd and drawn per process: a file cannot be made for chains whose
 * hashes fall on neighbouring slots, or cancel out, in every run.
 */
const MULTIPLIER = (0x9e3779b1 ^ (Math.random() * 0x40000000)) | 1;

/**
 * Chains of one hash compared in vain before that hash counts as crowded and its chains are kept
 * by the hash of all their words (ChainInterner.internWhole): a file can hold any number of
 * distinct chains that differ only in words the hash leaves out, and comparing each new one with
 * all those before it would take quadratic time.
 */
const MAX_SAME_HASH = 8;

/**
 * The hash of the first `headLength` words of `head` then all of `tail`: the length and the low
 * halves (the high halves are 0 or all ones for user and kernel addresses) of the entries nearest
 * the leaf and the root and of every third one between, and the root entry's high half, mixed so
 * that its low bits (the table slot) depend on every bit, kept to 30 bits. Not every entry:
 * hashing whole chains cost as much as the comparison that makes a match exact anyway; with the
 * middle ones, almost every chain that has the hash is the chain (without them, a third of the
 * lookups compared another one first, on a recording of deep recursions).
 */
function chainHash(
  head: U64Words,
  headLength: number,
  tail: U64Words,
  from: number,
  tailFrom: number,
  tailLength: number,
): number {
  const words = headLength + tailLength;
  const t = tailFrom - headLength; // word i past the head is tail[t + i]
  let h = words;
  const leafEnd = Math.min(words, 2 * HASHED_LEAF_ENTRIES);
  const rootStart = Math.max(leafEnd, words - 2 * HASHED_ROOT_ENTRIES);
  for (let i = 0; i < leafEnd; i += 2)
    h = (Math.imul(h, MULTIPLIER) + (i < headLength ? head[from + i]! : tail[t + i]!)) | 0;
  for (let i = leafEnd; i < rootStart; i += MIDDLE_STRIDE_WORDS)
    h = (Math.imul(h, MULTIPLIER) + (i < headLength ? head[from + i]! : tail[t + i]!)) | 0;
  for (let i = rootStart; i < words; i += 2)
    h = (Math.imul(h, MULTIPLIER) + (i < headLength ? head[from + i]! : tail[t + i]!)) | 0;
  // and the root's high half: a deferred sample's chain ends in its cookie, whose low half is the
  // CPU and high half a counter (the kernel's unwind id), so the low halves of chains left
  // unmerged differ in nothing but the CPU
  if (words > 0) {
    const last = words - 1;
    h = (Math.imul(h, MULTIPLIER) + (last < headLength ? head[from + last]! : tail[t + last]!)) | 0;
  }
  return mixed(h);
}

/** A product's low bits depend only on its factors' low bits: the high ones folded in (fmix32). */
function mixed(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & 0x3fffffff;
}

/** chainHash() of every word (for the chains of a crowded hash). */
function wholeHash(
  head: U64Words,
  headLength: number,
  tail: U64Words,
  from: number,
  tailFrom: number,
  tailLength: number,
): number {
  let h = headLength + tailLength;
  for (let i = 0; i < headLength; i++) h = (Math.imul(h, MULTIPLIER) + head[from + i]!) | 0;
  for (let i = 0; i < tailLength; i++) h = (Math.imul(h, MULTIPLIER) + tail[tailFrom + i]!) | 0;
  return mixed(h);
}

/**
 * Whether `n` words of `a` from `at` equal those of `b` from `bt`, two words at a time through
 * float64 views of the same buffers (`aWide`, `bWide`: from their start, as `a` and `b`) when
 * both are given and both ranges start at an even word: half the reads of a word loop (numbering
 * compares every sample's whole chain). A float64 comparison is exact only where it says
 * "different" for different bits: NaNs (kernel addresses are NaN patterns) compare unequal even
 * to themselves, and +0 equals -0, so an unequal or zero pair is settled word by word.
 */
function sameWords(
  a: Uint32Array,
  aWide: Float64Array | undefined,
  at: number,
  b: U64Words,
  bWide: Float64Array | undefined,
  bt: number,
  n: number,
): boolean {
  let i = 0;
  if (aWide && bWide && ((at | bt) & 1) === 0) {
    const aw = at >>> 1;
    const bw = bt >>> 1;
    for (const pairs = n >>> 1; i < pairs; i++) {
      const x = aWide[aw + i]!;
      if (x !== bWide[bw + i]! || x === 0) {
        const w = 2 * i;
        if (a[at + w] !== b[bt + w] || a[at + w + 1] !== b[bt + w + 1]) return false;
      }
    }
    i *= 2;
  }
  for (; i < n; i++) if (a[at + i] !== b[bt + i]) return false;
  return true;
}

/** Words per slab of the chain store (1 MB). */
const SLAB_WORDS = 1 << 18;

/**
 * Numbers each distinct callchain (by its exact words): in the load worker, so the session's
 * thread receives a small id per sample instead of the words, and words only once per distinct
 * chain; in the session's thread, the chains the worker shipped (SessionChains). A million
 * samples usually have a few tens of thousands of chains.
 */
export class ChainInterner {
  /**
   * The newest slab of the chains' words (the first one small: most interners number a few
   * chains) and the words used in it. Slabs are never moved or grown: a chain's view (words())
   * stays valid without keeping an outgrown copy of the store alive.
   */
  private slab = new Uint32Array(SLAB_WORDS >>> 4);
  private readonly slabs: Uint32Array[] = [this.slab];
  /** Each slab as float64s (comparisons take two words at a time: sameWords). */
  private readonly wideSlabs: Float64Array[] = [new Float64Array(this.slab.buffer)];
  private used = 0;
  /** Per id: its slab, where it starts there, its length. */
  private readonly slabOf: number[] = [];
  private readonly start: number[] = [];
  private readonly length: number[] = [];
  /** Each chain's hash, by id: most probes that are not the chain end here, not in the store. */
  private hashes = new Int32Array(1 << 12);
  /**
   * Open addressing (linear probing) from hash to id, -1 where empty: a probe is a typed-array
   * read where a Map took a hash lookup of its own, once per sample.
   */
  private slots = new Int32Array(1 << 13).fill(-1);
  /** The first id not yet handed out by takeNew(). */
  private taken = 0;
  /** Chains compared word by word so far (each lookup's one, plus those that shared its hash). */
  comparisons = 0;
  /** Crowded hashes (MAX_SAME_HASH), and their chains by wholeHash(): none in most loads. */
  private crowded: Set<number> | undefined;
  private wholes: Map<number, number[]> | undefined;

  intern(words: U64Words): number {
    return this.internParts(words, words.length, NO_WORDS);
  }

  /**
   * The chain made of `headLength` words of `head` from word `from`, then `tailLength` words of
   * `tail` from word `tailFrom` (a merged chain: the sample's kernel part, then its deferred
   * record's user ips; or one of a batch's shipped chains, no tail), without building it: the
   * same number intern() gives the words end to end (same hash, same comparison). `headWide`,
   * `tailWide`: `head` and `tail` as float64s (views of their buffers from the same byte), when
   * the caller has them: comparisons then read two words at a time.
   */
  internParts(
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from = 0,
    headWide?: Float64Array,
    tailFrom = 0,
    tailLength = tail.length - tailFrom,
    tailWide?: Float64Array,
  ): number {
    const h = chainHash(head, headLength, tail, from, tailFrom, tailLength);
    if (!this.crowded?.has(h)) {
      const slots = this.slots;
      const mask = slots.length - 1;
      let i = h & mask;
      let same = 0; // chains of this hash compared
      for (let id = slots[i]!; id >= 0; id = slots[i]!) {
        if (this.hashes[id] === h) {
          const equal = this.equalsParts(
            id,
            head,
            headLength,
            tail,
            from,
            headWide,
            tailFrom,
            tailLength,
            tailWide,
          );
          if (equal) return id;
          same++;
        }
        i = (i + 1) & mask;
      }
      if (same < MAX_SAME_HASH) {
        const id = this.newChain(h, head, headLength, tail, from, tailFrom, tailLength);
        slots[i] = id;
        // at most half full, so probes stay short
        if (2 * (id + 1) > slots.length) this.rehash(2 * slots.length);
        return id;
      }
      this.crowd(h);
    }
    return this.internWhole(
      h,
      head,
      headLength,
      tail,
      from,
      headWide,
      tailFrom,
      tailLength,
      tailWide,
    );
  }

  /** A new id for the chain, with hash `h`. */
  private newChain(
    h: number,
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from: number,
    tailFrom: number,
    tailLength: number,
  ): number {
    const id = this.add(head, headLength, tail, from, tailFrom, tailLength);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(2 * this.hashes.length);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    return id;
  }

  /**
   * Hash `h` is crowded from now on: its chains so far (their slots lie from h's own on, up to
   * the first empty one) are kept by their whole words too.
   */
  private crowd(h: number): void {
    this.crowded ??= new Set();
    this.wholes ??= new Map();
    this.crowded.add(h);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask, id = slots[i]!; id >= 0; i = (i + 1) & mask, id = slots[i]!) {
      if (this.hashes[id] !== h) continue;
      const words = this.words(id);
      const key = wholeHash(words, words.length, NO_WORDS, 0, 0, 0);
      const bucket = this.wholes.get(key);
      if (bucket) bucket.push(id);
      else this.wholes.set(key, [id]);
    }
  }

  /** internParts() of a chain whose hash `h` is crowded: looked up by the hash of every word. */
  private internWhole(
    h: number,
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from: number,
    headWide: Float64Array | undefined,
    tailFrom: number,
    tailLength: number,
    tailWide: Float64Array | undefined,
  ): number {
    const key = wholeHash(head, headLength, tail, from, tailFrom, tailLength);
    const wholes = this.wholes!;
    let bucket = wholes.get(key);
    if (bucket) {
      for (const id of bucket) {
        if (
          this.equalsParts(
            id,
            head,
            headLength,
            tail,
            from,
            headWide,
            tailFrom,
            tailLength,
            tailWide,
          )
        )
          return id;
      }
    } else wholes.set(key, (bucket = []));
    const id = this.newChain(h, head, headLength, tail, from, tailFrom, tailLength);
    bucket.push(id);
    return id;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let id = 0; id < this.start.length; id++) {
      // a crowded hash's chains are found by their whole words: in the slots they would make a
      // run every probe that starts in it walks
      if (this.crowded?.has(this.hashes[id]!)) continue;
      let i = this.hashes[id]! & mask;
      while (slots[i]! >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
  }

  /** The words of chain `id` (a view into its slab). */
  words(id: number): Uint32Array {
    const s = this.start[id]!;
    return this.slabs[this.slabOf[id]!]!.subarray(s, s + this.length[id]!);
  }

  /** The chains interned since the last call: their words end to end, and each one's length. */
  takeNew(): { words: Uint32Array; lengths: Uint32Array } {
    const first = this.taken;
    const count = this.start.length - first;
    const lengths = new Uint32Array(count);
    let total = 0;
    for (let i = 0; i < count; i++) total += lengths[i] = this.length[first + i]!;
    const words = new Uint32Array(total);
    for (let i = 0, at = 0; i < count; at += lengths[i++]!) words.set(this.words(first + i), at);
    this.taken = this.start.length;
    return { words, lengths };
  }

  private equalsParts(
    id: number,
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from: number,
    headWide: Float64Array | undefined,
    tailFrom: number,
    tailLength: number,
    tailWide: Float64Array | undefined,
  ): boolean {
    this.comparisons++;
    if (this.length[id] !== headLength + tailLength) return false;
    const slab = this.slabOf[id]!;
    const store = this.slabs[slab]!;
    const wide = this.wideSlabs[slab]!;
    const s = this.start[id]!;
    return (
      sameWords(store, wide, s, head, headWide, from, headLength) &&
      sameWords(store, wide, s + headLength, tail, tailWide, tailFrom, tailLength)
    );
  }

  private add(
    head: U64Words,
    headLength: number,
    tail: U64Words,
    from: number,
    tailFrom: number,
    tailLength: number,
  ): number {
    const n = headLength + tailLength;
    if (this.used + n > this.slab.length) {
      this.slab = new Uint32Array(Math.max(SLAB_WORDS, n + 1)); // + 1: the round-up below
      this.slabs.push(this.slab);
      this.wideSlabs.push(new Float64Array(this.slab.buffer, 0, this.slab.length >>> 1));
      this.used = 0;
    }
    const store = this.slab;
    const at = this.used;
    for (let i = 0; i < headLength; i++) store[at + i] = head[from + i]!;
    for (let i = 0; i < tailLength; i++) store[at + headLength + i] = tail[tailFrom + i]!;
    this.slabOf.push(this.slabs.length - 1);
    this.start.push(at);
    this.length.push(n);
    this.used += n + (n & 1); // chains start at even words: aligned for the float64 view
    return this.start.length - 1;
  }
}

/**
 * The session thread's numbering of every chain of a load: the chains the worker numbered (their
 * words come once, with the batch that first uses them; `adopt` maps the worker's numbers to
 * these) and the chains the worker shipped as words for this thread to number (`intern`).
 */
export class SessionChains {
  private readonly interner = new ChainInterner();
  /** Each chain's words by number: a view made once (lookups are per sample). */
  private readonly chains: Uint32Array[] = [];
  /** Each chain's length by number: read per consumed record, where a view's is a cache miss. */
  private lengths = new Int32Array(1024);
  private fromWorker = new Int32Array(1024);
  private adopted = 0;

  /** The chains a batch brings, numbered on from the previous batch's (ChainInterner.takeNew). */
  adopt(words: Uint32Array, lengths: Uint32Array): void {
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i]!;
      if (this.adopted === this.fromWorker.length)
        this.fromWorker = grown(this.fromWorker, this.adopted);
      this.fromWorker[this.adopted++] = this.intern(words.subarray(at, at + n));
      at += n;
    }
  }

  /** This thread's number of the worker's chain `id`. */
  workerChain(id: number): number {
    return this.fromWorker[id]!;
  }

  /**
   * The number of the chain of `length` words of `words` from word `from` (copied when new);
   * `wide`: `words` as float64s, when the caller has them (ChainInterner.internParts).
   */
  intern(words: U64Words, from = 0, length = words.length, wide?: Float64Array): number {
    const id = this.interner.internParts(words, length, NO_WORDS, from, wide);
    if (id === this.chains.length) {
      if (id === this.lengths.length) this.lengths = grown(this.lengths, id);
      this.lengths[id] = length;
      this.chains.push(this.interner.words(id));
    }
    return id;
  }

  get(id: number): Uint32Array {
    return this.chains[id]!;
  }

  /** get(id).length, without touching the view. */
  length(id: number): number {
    return this.lengths[id]!;
  }
}
