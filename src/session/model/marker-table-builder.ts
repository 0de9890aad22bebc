import { grown, type MarkerKind, type MarkerTable, type Nanoseconds } from '../../shared/model';

/** Markers kept per recording: a file controls how many there are. */
export const MAX_MARKERS = 2_000_000;
/** Marker texts kept (tracepoint fields are mostly distinct strings): beyond it, no text. */
export const MAX_MARKER_TEXTS = 200_000;

/** The string table the profile is built with (interns a string, returns its index). */
export interface StringSink {
  intern(s: string): number;
}

/**
 * The recording's markers while the model is built, in delivery order. Threads are kept as
 * pid/tid here; their tracks are known only when the threads are (see finish()).
 */
export class MarkerTableBuilder {
  length = 0;
  /** Markers and texts left out at the bounds. */
  notKept = 0;
  private texts = 0;
  private time = new Float64Array(64);
  private kind = new Uint8Array(64);
  private pid = new Int32Array(64);
  private tid = new Int32Array(64);
  private cpu = new Int32Array(64);
  private count = new Float64Array(64);
  private text = new Int32Array(64);
  private event = new Int32Array(64);

  constructor(private readonly strings: StringSink) {}

  add(
    time: Nanoseconds,
    kind: MarkerKind,
    pid: number,
    tid: number,
    cpu: number,
    count: number,
    text: string | undefined,
    event = -1,
  ): void {
    if (this.length >= MAX_MARKERS) {
      this.notKept++;
      return;
    }
    const i = this.length;
    if (i === this.time.length) {
      this.time = grown(this.time, i);
      this.kind = grown(this.kind, i);
      this.pid = grown(this.pid, i);
      this.tid = grown(this.tid, i);
      this.cpu = grown(this.cpu, i);
      this.count = grown(this.count, i);
      this.text = grown(this.text, i);
      this.event = grown(this.event, i);
    }
    let t = -1;
    if (text !== undefined) {
      if (this.texts < MAX_MARKER_TEXTS) {
        t = this.strings.intern(text);
        this.texts++;
      } else this.notKept++;
    }
    this.time[i] = time;
    this.kind[i] = kind;
    this.pid[i] = pid;
    this.tid[i] = tid;
    this.cpu[i] = cpu;
    this.count[i] = count;
    this.text[i] = t;
    this.event[i] = event;
    this.length = i + 1;
  }

  /**
   * The table by time (stable), relative to `start`; markers added without a time (NaN) go at
   * `end` (absolute). `trackOf` gives a thread's track index (-1: the thread has none).
   */
  finish(
    start: Nanoseconds,
    end: Nanoseconds,
    trackOf: (pid: number, tid: number) => number,
  ): MarkerTable {
    const n = this.length;
    for (let i = 0; i < n; i++) if (Number.isNaN(this.time[i])) this.time[i] = end;
    const order = Array.from({ length: n }, (_, k) => k).sort(
      (a, b) => this.time[a]! - this.time[b]! || a - b,
    );
    const pick = <T extends Float64Array | Int32Array | Uint8Array>(col: T, out: T): T => {
      for (let j = 0; j < n; j++) out[j] = col[order[j]!]!;
      return out;
    };
    const time = pick(this.time, new Float64Array(n));
    for (let j = 0; j < n; j++) time[j] = time[j]! - start;
    const pid = pick(this.pid, new Int32Array(n));
    const tid = pick(this.tid, new Int32Array(n));
    return {
      length: n,
      time,
      kind: pick(this.kind, new Uint8Array(n)),
      thread: Int32Array.from({ length: n }, (_, j) => trackOf(pid[j]!, tid[j]!)),
      pid,
      tid,
      cpu: pick(this.cpu, new Int32Array(n)),
      count: pick(this.count, new Float64Array(n)),
      text: pick(this.text, new Int32Array(n)),
      event: pick(this.event, new Int32Array(n)),
    };
  }
}
