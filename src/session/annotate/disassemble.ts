/**
 * One symbol disassembled the way perf 6.1 does it (util/annotate.c symbol__disassemble): the
 * DSO's file, objdump over the symbol's address range with perf's options, perf's reading of
 * the output.
 */
import os from 'node:os';
import path from 'node:path';
import type { Dso } from '../machine/maps';
import type { SymbolOptions } from '../symbols';
import type { SampledSymbol } from './annotate-samples';
import { disassemblyFile, textOffset } from './disassembly-file';
import { runObjdump, ObjdumpError, type ObjdumpOptions } from './objdump';
import { perfListing, type ListingLine } from './perf-listing';

/** A symbol perf cannot annotate; the message is perf's wording where perf has one. */
export class DisassemblyError extends Error {}

export interface Disassembly {
  /** The file objdump read. */
  file: string;
  /** objdump address of the symbol's first byte. */
  start: bigint;
  lines: ListingLine[];
}

export interface DisassembleOptions extends ObjdumpOptions {
  symbols?: SymbolOptions;
}

/** perf's symbol__strerror_disassemble for a kernel symbol without a vmlinux. */
export function noVmlinuxMessage(buildId: string | undefined): string {
  return (
    `No vmlinux file${buildId ? ` with build id ${buildId}` : ''}\nwas found in the path.\n\n` +
    'Note that annotation using /proc/kcore requires CAP_SYS_RAWIO capability.\n\n' +
    'Please use:\n\n  perf buildid-cache -vu vmlinux\n\nor:\n\n  --vmlinux vmlinux\n'
  );
}

/** What locating a DSO's code needs to know about it. */
export type CodeDso = Pick<Dso, 'kind' | 'name' | 'buildId'>;

/**
 * Where a symbol's code is: the file and the objdump address range of [start, end) (the DSO's
 * map_ip space, as its symbols are).
 */
export function symbolCode(
  dso: CodeDso,
  start: bigint,
  end: bigint,
  symbols: SymbolOptions = {},
): { file: string; start: bigint; end: bigint } {
  switch (dso.kind) {
    case 'kernel':
    case 'module':
      // perf disassembles the kernel only from a vmlinux (or /proc/kcore); kallsyms has no code.
      throw new DisassemblyError(noVmlinuxMessage(dso.buildId));
    case 'jit':
      throw new DisassemblyError(
        `${dso.name} is a JIT symbol map: there is no code to disassemble\n`,
      );
    case 'anon':
      throw new DisassemblyError(
        `${dso.name} is anonymous memory: there is no file to disassemble\n`,
      );
    case 'file':
    case 'vdso':
      break;
    default: {
      const never: never = dso.kind;
      return never;
    }
  }
  const file = safeArgument(
    disassemblyFile({
      dsoPath: dso.name,
      buildId: dso.buildId,
      symfs: symbols.symfs,
      buildIdDir: symbols.buildidDir ?? path.join(os.homedir(), '.debug'),
      vdso: dso.kind === 'vdso',
    }),
  );
  let offset: bigint;
  try {
    offset = textOffset(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new DisassemblyError(`cannot disassemble ${dso.name}: ${file}: ${why}\n`);
  }
  return { file, start: start + offset, end: end + offset };
}

/**
 * perf's objdump command line: `--start-address=0x%016lx --stop-address=0x%016lx -l -d
 * --no-show-raw-insn -S -C FILE`; without `-S` (source text) for the app, which reads the
 * source files itself.
 */
export function objdumpArgs(file: string, start: bigint, end: bigint, source = true): string[] {
  const hex = (a: bigint) => `0x${a.toString(16).padStart(16, '0')}`;
  return [
    `--start-address=${hex(start)}`,
    `--stop-address=${hex(end)}`,
    '-l',
    '-d',
    '--no-show-raw-insn',
    ...(source ? ['-S'] : []),
    '-C',
    file,
  ];
}

export async function disassembleSymbol(
  sym: SampledSymbol,
  options: DisassembleOptions = {},
): Promise<Disassembly> {
  const dso = { ...sym.dso, buildId: sym.buildId ?? sym.dso.buildId };
  const { file, start, end } = symbolCode(dso, sym.start, sym.end, options.symbols);
  let out: { stdout: string; stderr: string };
  try {
    out = await runObjdump(objdumpArgs(file, start, end), options);
  } catch (e) {
    if (e instanceof ObjdumpError) throw new DisassemblyError(`${e.message}\n`);
    throw e;
  }
  const lines = perfListing(out.stdout, file, start, end);
  if (lines.length === 0) {
    const why = out.stderr.trim().split('\n')[0] ?? '';
    throw new DisassemblyError(`No output from objdump for ${file}${why ? `: ${why}` : ''}\n`);
  }
  return { file, start, lines };
}

/** A path objdump cannot take for an option. */
function safeArgument(file: string): string {
  return file.startsWith('-') ? `./${file}` : file;
}
