import type { SymbolSettings } from './session-api';

/**
 * perf's symbol options (`--symfs`, `--kallsyms`, `--buildid-dir`, `--[no-]demangle`), declared
 * once: every `perfws` command that resolves symbols registers them from this table, `perfws open`
 * forwards them from it, and the desktop app parses its launch arguments with it.
 */
export type SymbolOptionSpec =
  | {
      /** perf's long option name, without the dashes. */
      name: string;
      key: Exclude<keyof SymbolSettings, 'demangle' | 'sourcePath'>;
      kind: 'path';
      /** What the value is, for `--help`: `dir` or `file`. */
      value: 'dir' | 'file';
      description: string;
    }
  | {
      name: string;
      key: 'sourcePath';
      /** Directories separated by ':' (made absolute one by one). */
      kind: 'paths';
      value: 'dirs';
      description: string;
    }
  | {
      name: string;
      key: 'demangle';
      /** A boolean that is on by default: `--no-NAME` turns it off. */
      kind: 'switch';
      description: string;
      /** The help text of the `--no-` form, the one users type. */
      offDescription: string;
    };

export const SYMBOL_OPTIONS: readonly SymbolOptionSpec[] = [
  {
    name: 'symfs',
    key: 'symfs',
    kind: 'path',
    value: 'dir',
    description: 'look every binary and debug file up under this directory',
  },
  {
    name: 'kallsyms',
    key: 'kallsyms',
    kind: 'path',
    value: 'file',
    description: 'kernel symbols (a copy of /proc/kallsyms of the recording machine)',
  },
  {
    name: 'buildid-dir',
    key: 'buildidDir',
    kind: 'path',
    value: 'dir',
    description: 'build-id cache directory (default ~/.debug)',
  },
  {
    name: 'demangle',
    key: 'demangle',
    kind: 'switch',
    description: 'demangle C++ and Rust symbol names (the default)',
    offDescription: 'show C++ and Rust symbol names as they are in the binary',
  },
];

/**
 * Where the Annotate view looks for source files. Not a perf option: the commands that serve the
 * app (serve, open, the desktop app) take it beside the symbol options.
 */
export const SOURCE_PATH_OPTION: SymbolOptionSpec = {
  name: 'source-path',
  key: 'sourcePath',
  kind: 'paths',
  value: 'dirs',
  description: "folders to look for source files in (annotate), ':'-separated",
};

/** What the commands that serve the app take: the symbol options, then the source path. */
export const APP_SYMBOL_OPTIONS: readonly SymbolOptionSpec[] = [
  ...SYMBOL_OPTIONS,
  SOURCE_PATH_OPTION,
];

/** `a:b` made absolute one by one with `resolvePath`; empty entries dropped. */
export function resolvePathList(list: string, resolvePath: (p: string) => string): string {
  return list.split(':').filter(Boolean).map(resolvePath).join(':');
}
