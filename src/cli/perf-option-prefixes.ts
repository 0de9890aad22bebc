import type { Command, Option } from 'commander';

/**
 * perf's long options, as its parser (tools/lib/subcmd/parse-options.c, parse_long_opt) reads
 * them, in front of commander: an unambiguous prefix of a long option names it (`--sym=DIR`,
 * `--no-merge-callchain`), every boolean has a `--no-` form, `--no-PREFIX` negates, and an exact
 * name always wins over prefixes. Each prefix is rewritten to the full name before commander
 * parses, so commander's own errors (unknown option, missing value) stay as they are.
 */

/** One perf option: commander keeps `--x` and `--no-x` as two options, perf as one. */
interface PerfOption {
  /** Long name without dashes (for `--no-x` alone: `x`). */
  name: string;
  /** commander knows `--name`. */
  positive: boolean;
  /** commander knows `--no-name`. */
  negative: boolean;
  /** `--name` needs a value: without `=`, the next argument is it. */
  valueRequired: boolean;
}

export interface Resolved {
  option: PerfOption;
  /** The `--no-` form. */
  unset: boolean;
  /** The value after `=`, if any. */
  value: string | undefined;
}

export class AmbiguousOptionError extends Error {
  override readonly name = 'AmbiguousOptionError';
}

/** The perf view of a command's commander options, in declaration order. */
export function perfOptions(options: readonly Option[]): PerfOption[] {
  const byName = new Map<string, PerfOption>();
  for (const o of options) {
    if (!o.long) continue;
    const long = o.long.slice(2);
    const name = o.negate ? long.slice(3) : long;
    let p = byName.get(name);
    if (!p) {
      p = { name, positive: false, negative: false, valueRequired: false };
      byName.set(name, p);
    }
    if (o.negate) p.negative = true;
    else {
      p.positive = true;
      p.valueRequired = o.required;
    }
  }
  return [...byName.values()];
}

/**
 * parse_long_opt for `arg` (the argument without its leading `--`): the option it names, or
 * undefined when none; AmbiguousOptionError when two prefixes match and nothing matches exactly.
 */
export function resolveLongOption(
  arg: string,
  options: readonly PerfOption[],
): Resolved | undefined {
  const eq = arg.indexOf('=');
  const argName = eq < 0 ? arg : arg.slice(0, eq);
  const valueOf = (rest: string): string | undefined => (rest === '' ? undefined : rest.slice(1));
  let abbrev: Resolved | undefined;
  let ambiguous: Resolved | undefined;
  const abbreviated = (option: PerfOption, unset: boolean): void => {
    if (abbrev) ambiguous = abbrev;
    // perf takes the value after `=` only for the positive form
    abbrev = { option, unset, value: !unset && eq >= 0 ? arg.slice(eq + 1) : undefined };
  };
  for (const option of options) {
    const name = option.name;
    if (arg.startsWith(name)) {
      const rest = arg.slice(name.length);
      if (rest === '' || rest.startsWith('='))
        return { option, unset: false, value: valueOf(rest) };
      continue;
    }
    if (name.startsWith(argName)) {
      abbreviated(option, false);
      continue;
    }
    // "negated and abbreviated very much": --n, --no, --no- match every option
    if ('no-'.startsWith(arg)) {
      abbreviated(option, true);
      continue;
    }
    if (!arg.startsWith('no-')) continue;
    const negated = arg.slice(3);
    if (negated.startsWith(name)) {
      const rest = negated.slice(name.length);
      if (rest === '' || rest.startsWith('=')) return { option, unset: true, value: valueOf(rest) };
      continue;
    }
    if (name.startsWith(negated)) abbreviated(option, true);
  }
  if (ambiguous && abbrev) {
    const form = (r: Resolved): string => `--${r.unset ? 'no-' : ''}${r.option.name}`;
    throw new AmbiguousOptionError(
      `ambiguous option: --${arg} (could be ${form(ambiguous)} or ${form(abbrev)})`,
    );
  }
  return abbrev;
}

/**
 * Rewrites perf-style long options in `args` (one command's arguments) to the names commander
 * knows. Values of options that take one are left alone, and so is everything after `--`.
 */
export function expandPerfOptions(args: readonly string[], options: readonly Option[]): string[] {
  const perf = perfOptions(options);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('--')) {
      out.push(arg);
      // a short option that needs a value takes the next argument (`-i -`, `-F -comm`)
      const short = arg.length === 2 && arg.startsWith('-') && options.find((o) => o.short === arg);
      if (short && short.required && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (arg === '--help') {
      out.push(arg);
      continue;
    }
    const r = resolveLongOption(arg.slice(2), perf);
    if (!r) {
      out.push(arg); // commander reports it as unknown
      continue;
    }
    const { option, unset, value } = r;
    const known = unset ? option.negative : option.positive;
    // a form commander does not know (`--no-symfs`): left as typed for commander to refuse
    if (!known) out.push(arg);
    else out.push(`--${unset ? 'no-' : ''}${option.name}${value === undefined ? '' : `=${value}`}`);
    if (known && !unset && option.valueRequired && value === undefined && i + 1 < args.length) {
      out.push(args[++i]!);
    }
  }
  return out;
}

/**
 * Makes `command` accept perf's long-option forms (see above). Apply it to every command that
 * mirrors a perf command.
 */
export function acceptPerfOptionForms(command: Command): Command {
  const parse = command.parseOptions.bind(command);
  command.parseOptions = (args: string[]) => {
    try {
      return parse(expandPerfOptions(args, command.options));
    } catch (e) {
      if (e instanceof AmbiguousOptionError) command.error(`error: ${e.message}`);
      throw e;
    }
  };
  return command;
}
