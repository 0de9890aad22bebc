/**
 * The small text files inside the tracing data: header_page, printk_formats, saved_cmdlines.
 * Inputs are byte strings.
 */
import { strtoull } from './c-number';

export interface HeaderPageField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/**
 * events/header_page, one field a line:
 *   	field: local_t commit;	offset:8;	size:8;	signed:1;
 * The "commit" field's size is the traced kernel's sizeof(long), which perf then uses.
 */
export function parseHeaderPage(text: string): HeaderPageField[] {
  const fields: HeaderPageField[] = [];
  const line = /field:\s*[^;]*?(\w+);\s*offset:(\d+);\s*size:(\d+);/g;
  for (const m of text.matchAll(line)) {
    fields.push({ name: m[1] ?? '', offset: Number(m[2]), size: Number(m[3]) });
  }
  return fields;
}

/**
 * printk_formats, the kernel strings some events point to:
 *   0xffffffff8281b755 : "rcu_preempt"
 * As libtraceevent: the address is hex before the first ':', the text follows ": ", with its
 * quotes and a trailing \n (backslash, n) removed.
 */
export function parsePrintkFormats(text: string): Map<bigint, string> {
  const map = new Map<bigint, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const addrText = line
      .slice(0, colon)
      .trim()
      .replace(/^0[xX]/, '');
    const addr = strtoull('0x' + addrText);
    let fmt = line.slice(colon + 2);
    if (fmt.startsWith('"')) fmt = fmt.slice(1);
    if (fmt.endsWith('"')) fmt = fmt.slice(0, -1);
    if (fmt.endsWith('\\n')) fmt = fmt.slice(0, -2);
    map.set(addr, fmt);
  }
  return map;
}

/**
 * saved_cmdlines, pid and comm of tasks the kernel saw:
 *   28600 forkexec
 */
export function parseSavedCmdlines(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([-+]?\d+)\s+(.+)$/.exec(line);
    if (m) map.set(Number(m[1]), m[2] ?? '');
  }
  return map;
}
