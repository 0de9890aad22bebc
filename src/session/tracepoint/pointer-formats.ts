/**
 * The %p extensions libtraceevent understands (print_arg_pointer): %pS / %ps / %pF / %pf
 * (kernel function), %pM / %pm (MAC), %pI4 / %pI6 / %pIS (IP address), %pU (UUID), %*ph (hex
 * bytes); any other %p prints the value as glibc's %p does.
 */
import { formatPointer } from './c-printf';
import { PRINT_ARG_TYPE_NUMBER, type PrintArg, type TracepointField } from './event-format';
import type { SampleData } from './sample-data';

export interface PointerEvaluator {
  readonly sample: SampleData;
  evalNum(arg: PrintArg): bigint;
  resolveField(arg: PrintArg): TracepointField | undefined;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

function notFieldText(arg: PrintArg): string {
  return `ARG TYPE NOT FIELD BUT ${PRINT_ARG_TYPE_NUMBER[arg.type]}`;
}

/** Drops casts: `(u8 *)REC->addr` names the field. */
function uncast(arg: PrintArg): PrintArg {
  let a = arg;
  while (a.type === 'type' && a.item) a = a.item;
  return a;
}

/** print_function(): the symbol (with +offset for S / F) or the raw address. */
function functionText(ev: PointerEvaluator, ext: string, arg: PrintArg): string {
  const val = ev.evalNum(arg);
  const func = ev.sample.resolveFunction?.(val);
  if (!func) return '0x' + val.toString(16);
  let out = func.name;
  if (ext === 'F' || ext === 'S') out += '+0x' + BigInt.asUintN(64, val - func.start).toString(16);
  return out;
}

function macText(ev: PointerEvaluator, spec: string, arg: PrintArg): string {
  const a = uncast(arg);
  if (a.type !== 'field') return notFieldText(a);
  const field = ev.resolveField(a);
  if (!field) return '';
  if (field.size !== 6) return 'INVALIDMAC';
  const bytes = [0, 1, 2, 3, 4, 5].map((i) => ev.sample.byte(field.offset + i));
  if (spec[1] === 'R') bytes.reverse();
  const sep = spec[0] === 'm' ? '' : spec[0] === 'M' && spec[1] === 'F' ? '-' : ':';
  return bytes.map(hex2).join(sep);
}

function ip4Text(bytes: number[], leadingZeros: boolean, reverse: boolean): string {
  const b = reverse ? [...bytes].reverse() : bytes;
  return b.map((x) => (leadingZeros ? String(x).padStart(3, '0') : String(x))).join('.');
}

/** parse_ip4_print_args(): h (host order), l (little endian), n / b (network order). */
function ip4Reverse(ev: PointerEvaluator, c: string | undefined): boolean {
  if (c === 'h') return !ev.sample.context.fileBigEndian;
  return c === 'l';
}

/** print_ip6c_addr(): RFC 5952 compressed form, with a dotted IPv4 tail for mapped addresses. */
function ip6CompressedText(addr: number[]): string {
  const word = (i: number): number => ((addr[2 * i] ?? 0) << 8) | (addr[2 * i + 1] ?? 0);
  const w32 = (i: number): number =>
    (((addr[4 * i] ?? 0) << 24) |
      ((addr[4 * i + 1] ?? 0) << 16) |
      ((addr[4 * i + 2] ?? 0) << 8) |
      (addr[4 * i + 3] ?? 0)) >>>
    0;
  const v4mapped = (w32(0) | w32(1)) === 0 && w32(2) === 0x0000ffff;
  const isatap = (w32(2) | 0x02000000) >>> 0 === 0x02005efe;
  const useIPv4 = v4mapped || isatap;
  const range = useIPv4 ? 6 : 8;
  let longest = 1;
  let colonpos = -1;
  for (let i = 0; i < range; i++) {
    let run = 0;
    for (let j = i; j < range && word(j) === 0; j++) run++;
    if (run > longest) {
      longest = run;
      colonpos = i;
    }
  }
  if (longest === 1) colonpos = -1;
  let out = '';
  let needColon = false;
  for (let i = 0; i < range; i++) {
    if (i === colonpos) {
      if (needColon || i === 0) out += ':';
      out += ':';
      needColon = false;
      i += longest - 1;
      continue;
    }
    if (needColon) out += ':';
    out += word(i).toString(16);
    needColon = true;
  }
  if (useIPv4) {
    if (needColon) out += ':';
    out += ip4Text(addr.slice(12, 16), false, false);
  }
  return out;
}

function ip6Text(addr: number[], withColons: boolean): string {
  let out = '';
  for (let j = 0; j < 16; j += 2) {
    out += hex2(addr[j] ?? 0) + hex2(addr[j + 1] ?? 0);
    if (withColons && j < 14) out += ':';
  }
  return out;
}

function bytesAt(ev: PointerEvaluator, offset: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => ev.sample.byte(offset + i));
}

/** %pI4 %pi4 %pI6 %pi6 %pI6c %pIS[pc]...: `spec` starts at the i / I. */
function ipText(ev: PointerEvaluator, spec: string, arg: PrintArg): string {
  const i = spec[0] ?? 'I';
  const version = spec[1];
  let rest = spec.slice(2);
  const a = uncast(arg);
  if (version === '4') {
    if (a.type !== 'field') return notFieldText(a);
    const field = ev.resolveField(a);
    if (!field) return '';
    if (field.size !== 4) return 'INVALIDIPv4';
    return ip4Text(bytesAt(ev, field.offset, 4), i === 'i', ip4Reverse(ev, rest[0]));
  }
  if (version === '6') {
    const compressed = i === 'I' && rest[0] === 'c';
    if (a.type !== 'field') return notFieldText(a);
    const field = ev.resolveField(a);
    if (!field) return '';
    if (field.size !== 16) return 'INVALIDIPv6';
    const addr = bytesAt(ev, field.offset, 16);
    return compressed ? ip6CompressedText(addr) : ip6Text(addr, i === 'I');
  }
  if (version !== 'S') return '';
  // A struct sockaddr: family (host order), port (network order), address.
  let withPort = false;
  let compressed = false;
  if (i === 'I') {
    if (rest[0] === 'p') {
      withPort = true;
      rest = rest.slice(1);
    }
    if (rest[0] === 'c') {
      compressed = true;
      rest = rest.slice(1);
    }
  }
  const reverse = ip4Reverse(ev, rest[0]);
  let offset: number;
  let len: number;
  if (a.type === 'field') {
    const field = ev.resolveField(a);
    if (!field) return '';
    offset = field.offset;
    len = field.size;
  } else if (a.type === 'dynamic_array' && a.field) {
    ({ offset, length: len } = ev.sample.dynamicLocation(a.field));
  } else {
    return `ARG NOT FIELD NOR DYNAMIC ARRAY BUT TYPE ${PRINT_ARG_TYPE_NUMBER[a.type]}`;
  }
  const family = Number(ev.sample.readNative(offset, 2));
  const port = (ev.sample.byte(offset + 2) << 8) | ev.sample.byte(offset + 3);
  if (family === 2) {
    if (len < 16) return 'INVALIDIPv4';
    const text = ip4Text(bytesAt(ev, offset + 4, 4), i === 'i', reverse);
    return withPort ? `${text}:${port}` : text;
  }
  if (family === 10) {
    if (len < 28) return 'INVALIDIPv6';
    const addr = bytesAt(ev, offset + 8, 16);
    const text = compressed ? ip6CompressedText(addr) : ip6Text(addr, i === 'I');
    return withPort ? `[${text}]:${port}` : text;
  }
  return '';
}

const GUID_INDEX = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

/** %pU[bBlL]: `spec` starts at the U. */
function uuidText(ev: PointerEvaluator, spec: string, arg: PrintArg): string {
  const variant = spec[1];
  const upper = variant === 'L' || variant === 'B';
  const guid = variant === 'L' || variant === 'l';
  const a = uncast(arg);
  if (a.type !== 'field') return notFieldText(a);
  const field = ev.resolveField(a);
  if (!field) return '';
  if (field.size !== 16) return 'INVALIDUUID';
  let out = '';
  for (let i = 0; i < 16; i++) {
    const b = hex2(ev.sample.byte(field.offset + (guid ? (GUID_INDEX[i] ?? i) : i)));
    out += upper ? b.toUpperCase() : b;
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}

/** %*ph[CDN]: the first `count` bytes of a dynamic array in hex. */
function rawBufferText(ev: PointerEvaluator, spec: string, arg: PrintArg, count: number): string {
  const v = spec[1];
  const delim = v === 'C' ? ':' : v === 'D' ? '-' : v === 'N' ? '' : ' ';
  if (arg.type !== 'dynamic_array' || !arg.field) return notFieldText(arg);
  const { offset, length } = ev.sample.dynamicLocation(arg.field);
  const n = Math.min(count, length);
  if (n < 1) return '';
  return bytesAt(ev, offset, n).map(hex2).join(delim);
}

/**
 * Formats a %p conversion. `spec` is the whole conversion ("%pS", "%*phC"); `count` is the `*`
 * argument (1 when there is none, as libtraceevent passes).
 */
export function pointerText(
  ev: PointerEvaluator,
  spec: string,
  arg: PrintArg,
  count: number,
): string {
  if (arg.type === 'bstring') return arg.text ?? '';
  const ext = spec.slice(spec.indexOf('p') + 1);
  switch (ext[0]) {
    case 'F':
    case 'f':
    case 'S':
    case 's':
      return functionText(ev, ext[0], arg);
    case 'M':
    case 'm':
      return macText(ev, ext, arg);
    case 'I':
    case 'i':
      return ipText(ev, ext, arg);
    case 'U':
      return uuidText(ev, ext, arg);
    case 'h':
      return rawBufferText(ev, ext, arg, count);
    default:
      return formatPointer(ev.evalNum(arg));
  }
}
