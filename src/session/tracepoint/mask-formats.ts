/**
 * How libtraceevent prints __get_bitmask (hex words, comma every 32 bits) and __get_cpumask
 * (CPU ranges such as "0-3,8").
 */

/**
 * print_bitmask_to_seq(): the mask as hex, most significant byte first, with a comma between
 * 32-bit words. The kernel stores the mask as an array of longs, so the byte order matters.
 */
export function bitmaskText(bytes: Uint8Array, bigEndian: boolean): string {
  const size = bytes.length;
  const nrBits = size * 8;
  const strSize = Math.trunc((nrBits + 3) / 4) + Math.trunc((nrBits - 1) / 32);
  const out: string[] = new Array<string>(Math.max(0, strSize)).fill('');
  let len = 0;
  for (let i = strSize - 2; i >= 0; i -= 2) {
    const index = bigEndian ? size - (len + 1) : len;
    const hex = (bytes[index] ?? 0).toString(16).padStart(2, '0');
    out[i] = hex[0] ?? '0';
    out[i + 1] = hex[1] ?? '0';
    len++;
    if (!(len & 3) && i > 0) {
      i--;
      out[i] = ',';
    }
  }
  return out.join('');
}

/** print_cpumask_to_seq(): the set bits as comma-separated ranges ("0-3,8"). */
export function cpumaskText(bytes: Uint8Array, bigEndian: boolean): string {
  const size = bytes.length;
  const parts: string[] = [];
  let runStart = -1;
  const bit = (n: number): boolean => {
    const i = Math.trunc(n / 8);
    const index = bigEndian ? size - (i + 1) : i;
    return (((bytes[index] ?? 0) >> (n % 8)) & 1) === 1;
  };
  const nrBits = size * 8;
  for (let n = 0; n <= nrBits; n++) {
    const set = n < nrBits && bit(n);
    if (set && runStart < 0) runStart = n;
    if (!set && runStart >= 0) {
      parts.push(n - 1 > runStart ? `${runStart}-${n - 1}` : `${runStart}`);
      runStart = -1;
    }
  }
  return parts.join(',');
}
