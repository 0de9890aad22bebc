/**
 * A small perf.data writer for tests: builds real file-mode recordings (either byte order) from a
 * readable description, one record per line:
 *
 *   event cpu-clock type=1 config=0 sample_type=IP|TID|TIME|CALLCHAIN|PERIOD|CPU|IDENTIFIER defer_callchain defer_output
 *   comm 100/100 t=10 app
 *   mmap 100/100 t=10 0x400000+0x1000 @0 /bin/app
 *   sample 100/101 t=1000 cpu=0 event=0 period=5 ip=0x400010 chain=kernel:ffffffff81000010,ffffffff81000020;deferred:0x11
 *   sample 100/101 t=1100 chain=user:400010,400020 misc=2
 *   deferred 100/101 t=1200 cpu=1 cookie=0x11 ips=400100,400200
 *   fork 100/102 t=1300 parent=100/101
 *   exit 100/102 t=1400
 *   round
 *   bytes 00000016000200d0...   (a whole record, raw, in the file's byte order)
 *
 * Callchain parts are `kernel:`, `user:`, `deferred:` (the USER_DEFERRED marker and the cookie)
 * separated by `;`; addresses are hex. Events are numbered in order; an event opened on `cpus=N`
 * CPUs has N ids (1000 + index, then + 100 per CPU), and a record carries the id of its `cpu=`. Every
 * event has sample_id_all unless its line says `no_sample_id_all`. Any record line may name the
 * event whose sample_id trailer it carries (`event=N`, default 0). `{ pipe: true }` writes the
 * stream perf writes to a pipe (attrs and event names as records).
 */

const SAMPLE_BITS: Record<string, number> = {
  IP: 1 << 0,
  TID: 1 << 1,
  TIME: 1 << 2,
  ADDR: 1 << 3,
  CALLCHAIN: 1 << 5,
  ID: 1 << 6,
  CPU: 1 << 7,
  PERIOD: 1 << 8,
  IDENTIFIER: 1 << 16,
};
const FLAG_BITS: Record<string, number> = {
  disabled: 0,
  inherit: 1,
  exclude_kernel: 5,
  mmap: 8,
  comm: 9,
  freq: 10,
  task: 13,
  sample_id_all: 18,
  mmap2: 23,
  comm_exec: 24,
  defer_callchain: 38,
  defer_output: 39,
};
const CONTEXT = {
  KERNEL: 0xffff_ffff_ffff_ff80n,
  USER: 0xffff_ffff_ffff_fe00n,
  USER_DEFERRED: 0xffff_ffff_ffff_fd80n,
};

interface EventSpec {
  name: string;
  type: number;
  config: bigint;
  sampleType: number;
  flags: bigint;
  period: bigint;
  /** One kernel id per CPU the event was opened on: 1000 + index, then + 100 per further CPU. */
  ids: number[];
}

class Bytes {
  private chunks: number[] = [];
  constructor(private readonly le: boolean) {}
  get length(): number {
    return this.chunks.length;
  }
  u8(v: number): this {
    this.chunks.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [v & 0xff, (v >> 8) & 0xff];
    this.chunks.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.chunks.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u64(v: bigint | number): this {
    let x = BigInt.asUintN(64, BigInt(v));
    const b: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.push(Number(x & 0xffn));
      x >>= 8n;
    }
    this.chunks.push(...(this.le ? b : b.reverse()));
    return this;
  }
  raw(bytes: Iterable<number>): this {
    for (const b of bytes) this.chunks.push(b);
    return this;
  }
  /** A NUL-terminated string padded to a multiple of `align`. */
  str(s: string, align = 8): this {
    const b = [...new TextEncoder().encode(s), 0];
    while (b.length % align) b.push(0);
    return this.raw(b);
  }
  append(other: Bytes): this {
    return this.raw(other.toArray());
  }
  toArray(): number[] {
    return this.chunks;
  }
}

export interface WriteOptions {
  bigEndian?: boolean;
  /** Pipe mode: a 16-byte header, then HEADER_ATTR and HEADER_FEATURE records before the data. */
  pipe?: boolean;
}

function parseKv(tokens: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq > 0) m.set(t.slice(0, eq), t.slice(eq + 1));
    else m.set(t, '');
  }
  return m;
}

function hexBig(s: string): bigint {
  return BigInt(s.startsWith('0x') ? s : `0x${s}`);
}

function pidTid(s: string): [number, number] {
  const [p, t] = s.split('/');
  return [Number(p), Number(t ?? p)];
}

/** Builds a perf.data file from the description. */
export function writePerfData(description: string, options: WriteOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const events: EventSpec[] = [];
  const data = new Bytes(le);
  const lines = description
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  /** The id of the event's fd on a CPU (an event opened on several CPUs has one id each). */
  const idOn = (ev: EventSpec, cpu: number): number => ev.ids[cpu % ev.ids.length]!;
  const trailer = (ev: EventSpec, pid: number, tid: number, time: bigint, cpu: number): Bytes => {
    const b = new Bytes(le);
    if (!((ev.flags >> 18n) & 1n)) return b;
    const t = ev.sampleType;
    if (t & SAMPLE_BITS.TID!) b.u32(pid).u32(tid);
    if (t & SAMPLE_BITS.TIME!) b.u64(time);
    if (t & SAMPLE_BITS.ID!) b.u64(idOn(ev, cpu));
    if (t & SAMPLE_BITS.CPU!) b.u32(cpu).u32(0);
    if (t & SAMPLE_BITS.IDENTIFIER!) b.u64(idOn(ev, cpu));
    return b;
  };
  const record = (type: number, misc: number, body: Bytes): void => {
    data
      .u32(type)
      .u16(misc)
      .u16(8 + body.length)
      .append(body);
  };
  const eventOf = (kv: Map<string, string>): EventSpec => {
    const ev = events[Number(kv.get('event') ?? 0)];
    if (!ev) throw new Error('writer: no such event');
    return ev;
  };

  for (const line of lines) {
    const [kind, ...rest] = line.split(/\s+/);
    switch (kind) {
      case 'event': {
        const kv = parseKv(rest.slice(1));
        let sampleType = 0;
        for (const b of (kv.get('sample_type') ?? 'IP|TID|TIME|PERIOD').split('|')) {
          const bit = SAMPLE_BITS[b];
          if (bit === undefined) throw new Error(`writer: unknown sample_type bit ${b}`);
          sampleType |= bit;
        }
        let flags = 0n;
        for (const [k] of kv) if (k in FLAG_BITS) flags |= 1n << BigInt(FLAG_BITS[k]!);
        if (!kv.has('no_sample_id_all')) flags |= 1n << 18n;
        events.push({
          name: rest[0]!,
          type: Number(kv.get('type') ?? 1),
          config: BigInt(kv.get('config') ?? 0),
          sampleType,
          flags,
          period: BigInt(kv.get('period') ?? 1),
          ids: Array.from(
            { length: Number(kv.get('cpus') ?? 1) },
            (_, cpu) => 1000 + events.length + 100 * cpu,
          ),
        });
        break;
      }
      case 'comm': {
        const [pid, tid] = pidTid(rest[0]!);
        const kv = parseKv(rest.slice(1, -1));
        const ev = eventOf(kv);
        const body = new Bytes(le)
          .u32(pid)
          .u32(tid)
          .str(rest[rest.length - 1]!);
        body.append(trailer(ev, pid, tid, BigInt(kv.get('t') ?? 0), Number(kv.get('cpu') ?? 0)));
        record(3, kv.has('exec') ? 1 << 13 : 0, body);
        break;
      }
      case 'mmap': {
        const [pid, tid] = pidTid(rest[0]!);
        const kv = parseKv(rest.slice(1, -3));
        const ev = eventOf(kv);
        const [start, len] = rest[rest.length - 3]!.split('+').map(hexBig) as [bigint, bigint];
        const pgoff = hexBig(rest[rest.length - 2]!.slice(1));
        const body = new Bytes(le).u32(pid).u32(tid).u64(start).u64(len).u64(pgoff);
        body
          .u32(8)
          .u32(1)
          .u64(42)
          .u64(0)
          .u32(5)
          .u32(2)
          .str(rest[rest.length - 1]!);
        body.append(trailer(ev, pid, tid, BigInt(kv.get('t') ?? 0), Number(kv.get('cpu') ?? 0)));
        record(10, kv.has('kernel') ? 1 : 2, body);
        break;
      }
      case 'sample': {
        const [pid, tid] = pidTid(rest[0]!);
        const kv = parseKv(rest.slice(1));
        const ev = eventOf(kv);
        const t = ev.sampleType;
        const body = new Bytes(le);
        const cpu = Number(kv.get('cpu') ?? 0);
        if (t & SAMPLE_BITS.IDENTIFIER!) body.u64(idOn(ev, cpu));
        if (t & SAMPLE_BITS.IP!) body.u64(hexBig(kv.get('ip') ?? '0'));
        if (t & SAMPLE_BITS.TID!) body.u32(pid).u32(tid);
        if (t & SAMPLE_BITS.TIME!) body.u64(BigInt(kv.get('t') ?? 0));
        if (t & SAMPLE_BITS.ADDR!) body.u64(0);
        if (t & SAMPLE_BITS.ID!) body.u64(idOn(ev, cpu));
        if (t & SAMPLE_BITS.CPU!) body.u32(cpu).u32(0);
        if (t & SAMPLE_BITS.PERIOD!) body.u64(BigInt(kv.get('period') ?? 1));
        if (t & SAMPLE_BITS.CALLCHAIN!) {
          const entries: bigint[] = [];
          for (const part of (kv.get('chain') ?? '').split(';').filter(Boolean)) {
            const [what, list] = part.split(':') as [string, string];
            const addrs = list.split(',').filter(Boolean).map(hexBig);
            if (what === 'kernel') entries.push(CONTEXT.KERNEL, ...addrs);
            else if (what === 'user') entries.push(CONTEXT.USER, ...addrs);
            else if (what === 'deferred') entries.push(CONTEXT.USER_DEFERRED, ...addrs);
            else if (what === 'raw') entries.push(...addrs);
            else throw new Error(`writer: unknown chain part ${what}`);
          }
          body.u64(entries.length);
          for (const e of entries) body.u64(e);
        }
        record(9, kv.has('misc') ? Number(kv.get('misc')) : kv.has('user') ? 2 : 1, body);
        break;
      }
      case 'deferred': {
        const [pid, tid] = pidTid(rest[0]!);
        const kv = parseKv(rest.slice(1));
        const ev = eventOf(kv);
        const ips = (kv.get('ips') ?? '').split(',').filter(Boolean).map(hexBig);
        const body = new Bytes(le).u64(hexBig(kv.get('cookie') ?? '0')).u64(ips.length);
        for (const ip of ips) body.u64(ip);
        body.append(trailer(ev, pid, tid, BigInt(kv.get('t') ?? 0), Number(kv.get('cpu') ?? 0)));
        record(22, 2, body);
        break;
      }
      case 'fork':
      case 'exit': {
        // struct { u32 pid, ppid, tid, ptid; u64 time; } + sample_id
        const [pid, tid] = pidTid(rest[0]!);
        const kv = parseKv(rest.slice(1));
        const ev = eventOf(kv);
        const [ppid, ptid] = kv.has('parent') ? pidTid(kv.get('parent')!) : [pid, tid];
        const time = BigInt(kv.get('t') ?? 0);
        const body = new Bytes(le).u32(pid).u32(ppid).u32(tid).u32(ptid).u64(time);
        body.append(trailer(ev, pid, tid, time, Number(kv.get('cpu') ?? 0)));
        record(kind === 'fork' ? 7 : 4, 0, body);
        break;
      }
      case 'round':
        record(68, 0, new Bytes(le));
        break;
      case 'bytes':
        // a whole record as hex, copied as it is (e.g. one rebuilt from a published dump)
        data.raw(
          rest
            .join('')
            .match(/../g)!
            .map((h) => parseInt(h, 16)),
        );
        break;
      default:
        throw new Error(`writer: unknown line kind ${kind}`);
    }
  }

  // Layout: header (104) | attrs | ids | data | feature table | EVENT_DESC feature.
  const attrSize = 128;
  const headerSize = 104;
  const attrsOffset = headerSize;
  const attrsSize = events.length * (attrSize + 16);
  const idsOffset = attrsOffset + attrsSize;
  const idsSize = 8 * events.reduce((n, ev) => n + ev.ids.length, 0);
  const dataOffset = idsOffset + idsSize;
  const dataBytes = data.toArray();
  const featTableOffset = dataOffset + dataBytes.length;

  const attr = (ev: EventSpec): Bytes => {
    const b = new Bytes(le)
      .u32(ev.type)
      .u32(attrSize)
      .u64(ev.config)
      .u64(ev.period)
      .u64(ev.sampleType)
      .u64(0)
      .u64(ev.flags);
    while (b.length < attrSize) b.u8(0);
    return b;
  };
  const desc = new Bytes(le).u32(events.length).u32(attrSize);
  for (const ev of events) {
    desc.append(attr(ev)).u32(ev.ids.length);
    const name = new Bytes(le).str(ev.name, 64);
    desc.u32(name.length).append(name);
    for (const id of ev.ids) desc.u64(id);
  }
  const descBytes = desc.toArray();

  if (options.pipe) {
    // struct perf_pipe_file_header { u64 magic; u64 size = 16; }, then
    // PERF_RECORD_HEADER_ATTR (64): { header; perf_event_attr; u64 id[]; } per event and
    // PERF_RECORD_HEADER_FEATURE (80): { header; u64 feat_id; data } for the event names
    const stream = new Bytes(le);
    stream.raw(new TextEncoder().encode(le ? 'PERFILE2' : '2ELIFREP')).u64(16);
    for (const ev of events) {
      const body = new Bytes(le).append(attr(ev));
      for (const id of ev.ids) body.u64(id);
      stream
        .u32(64)
        .u16(0)
        .u16(8 + body.length)
        .append(body);
    }
    const feature = new Bytes(le).u64(12).raw(descBytes);
    stream
      .u32(80)
      .u16(0)
      .u16(8 + feature.length)
      .append(feature);
    stream.raw(dataBytes);
    return new Uint8Array(stream.toArray());
  }

  const out = new Bytes(le);
  out.raw(new TextEncoder().encode(le ? 'PERFILE2' : '2ELIFREP'));
  out.u64(headerSize).u64(attrSize + 16);
  out.u64(attrsOffset).u64(attrsSize);
  out.u64(dataOffset).u64(dataBytes.length);
  out.u64(0).u64(0);
  // adds_features: only HEADER_EVENT_DESC (bit 12)
  out
    .u64(1n << 12n)
    .u64(0)
    .u64(0)
    .u64(0);
  let idAt = idsOffset;
  for (const ev of events) {
    out
      .append(attr(ev))
      .u64(idAt)
      .u64(8 * ev.ids.length);
    idAt += 8 * ev.ids.length;
  }
  for (const ev of events) for (const id of ev.ids) out.u64(id);
  out.raw(dataBytes);
  out.u64(featTableOffset + 16).u64(descBytes.length);
  out.raw(descBytes);
  return new Uint8Array(out.toArray());
}
