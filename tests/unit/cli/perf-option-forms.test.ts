import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { perfwsProgram } from '../../../src/cli/program';
import { SYMBOL_OPTIONS } from '../../../src/shared/contract';

/** The real program, its actions replaced by a recorder, errors thrown instead of exiting. */
function program(): { run(...argv: string[]): Promise<Record<string, unknown>>; errors: string[] } {
  const p = perfwsProgram();
  const errors: string[] = [];
  let seen: Record<string, unknown> = {};
  for (const c of [p, ...p.commands]) {
    c.exitOverride();
    c.configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => {} });
    if (c === p) continue;
    c.action((...args: unknown[]) => {
      seen = args.at(-2) as Record<string, unknown>;
    });
  }
  return {
    errors,
    async run(...argv) {
      seen = {};
      await p.parseAsync(['node', 'perfws', ...argv]);
      return seen;
    },
  };
}

describe("perf's long-option forms (parse-options.c) on every command", () => {
  it('accepts --merge-callchains, which perf 6.19 declares (merging is its default)', async () => {
    const { run } = program();
    for (const command of ['script', 'report', 'collapse']) {
      expect(await run(command, '--merge-callchains')).toMatchObject({ mergeCallchains: true });
      expect(await run(command, '--no-merge-callchains')).toMatchObject({
        mergeCallchains: false,
      });
      expect((await run(command)).mergeCallchains).toBeUndefined();
    }
  });

  it('takes an unambiguous prefix of a long option, with or without its --no- form', async () => {
    const { run } = program();
    expect(await run('script', '--no-merge-callchain')).toMatchObject({ mergeCallchains: false });
    expect(await run('script', '--no-merge')).toMatchObject({ mergeCallchains: false });
    expect(await run('script', '--merge')).toMatchObject({ mergeCallchains: true });
    expect(await run('script', '--sym=/s', '--kall', '/k', '--buildid=/b')).toMatchObject({
      symfs: '/s',
      kallsyms: '/k',
      buildidDir: '/b',
    });
    expect(await run('script', '--header')).toMatchObject({ headerOnly: true });
    expect(await run('report', '--no-child', '--std')).toMatchObject({
      children: false,
      stdio: true,
    });
    // --percent alone is ambiguous since --percentage exists (as in perf 6.1)
    expect(await run('report', '--percent-l=5', '--sort', 'dso')).toMatchObject({
      percentLimit: '5',
      sort: 'dso',
    });
    expect(await run('collapse', '--all', '--kernel-o')).toMatchObject({
      allEvents: true,
      kernelOnly: true,
    });
    expect(await run('stats', '--js')).toMatchObject({ json: true });
  });

  it('gives --no- to every boolean, as perf does: --demangle and --no-demangle', async () => {
    const { run } = program();
    expect(await run('report', '--no-demangle')).toMatchObject({ demangle: false });
    expect(await run('report', '--no-dem')).toMatchObject({ demangle: false });
    expect(await run('report', '--demangle')).toMatchObject({ demangle: true });
    expect((await run('report')).demangle).toBeUndefined();
  });

  it('lets an exact name win over the longer options it is a prefix of', async () => {
    const { run } = program();
    // "kernel" is both a whole option and a prefix of "kernel-only"
    expect(await run('collapse', '--kernel')).toMatchObject({ kernel: true });
    expect((await run('collapse', '--kernel')).kernelOnly).toBeUndefined();
  });

  it('refuses an ambiguous prefix and names the candidates', async () => {
    const { run, errors } = program();
    await expect(run('collapse', '--kern')).rejects.toBeInstanceOf(CommanderError);
    expect(errors.join('')).toContain(
      'ambiguous option: --kern (could be --kernel or --kernel-only)',
    );
  });

  it('leaves option values and everything after -- as they are', async () => {
    const { run } = program();
    // a value that looks like an option prefix is not rewritten
    expect(await run('script', '-i', '--head', '-F', '--sym')).toMatchObject({
      input: '--head',
      fields: ['--sym'],
    });
    expect(await run('script', '--input', '--kall')).toMatchObject({ input: '--kall' });
  });

  it('still refuses what perf would refuse: unknown options', async () => {
    const { run, errors } = program();
    await expect(run('script', '--bogus')).rejects.toBeInstanceOf(CommanderError);
    expect(errors.join('')).toContain("unknown option '--bogus'");
  });
});

describe('the symbol options, declared once', () => {
  /** The symbol options as `--help` lists them: flags and description. */
  const symbolLines = (c: Command): string[] =>
    c
      .createHelp()
      .visibleOptions(c)
      .filter((o) =>
        SYMBOL_OPTIONS.some((s) => o.long === `--${s.name}` || o.long === `--no-${s.name}`),
      )
      .map((o) => `${o.flags} ${o.description}`);

  it('reads the same in the --help of every symbol-resolving command', () => {
    const p = perfwsProgram();
    const resolving = ['script', 'report', 'collapse', 'serve', 'open'];
    const reference = symbolLines(p.commands.find((c) => c.name() === 'script')!);
    expect(reference).toEqual([
      '--symfs <dir> look every binary and debug file up under this directory',
      '--kallsyms <file> kernel symbols (a copy of /proc/kallsyms of the recording machine)',
      '--buildid-dir <dir> build-id cache directory (default ~/.debug)',
      '--no-demangle show C++ and Rust symbol names as they are in the binary',
    ]);
    for (const name of resolving) {
      expect(symbolLines(p.commands.find((c) => c.name() === name)!), name).toEqual(reference);
    }
  });

  it('reach the command as SymbolSettings, --no-demangle included (perfws open lacked it)', async () => {
    const { run } = program();
    for (const command of ['script', 'report', 'collapse']) {
      expect(await run(command, '--symfs', '/s', '--no-demangle')).toMatchObject({
        symfs: '/s',
        demangle: false,
      });
    }
    expect(await run('open', 'a.data', '--no-demangle', '--kallsyms=/k')).toMatchObject({
      demangle: false,
      kallsyms: '/k',
    });
  });
});
