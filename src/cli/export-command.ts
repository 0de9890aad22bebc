import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Filters } from '../shared/contract';
import type { Profile } from '../shared/model';
import { withFilteredProfile } from './filtered-profile';
import { printError, writeStdout } from './io';
import {
  addFoldingOptions,
  sampleFilters,
  type FoldingCliOptions,
  type SampleFilterOptions,
} from './sample-filters';

const FORMATS = ['pprof', 'speedscope'] as const;
type ExportFormat = (typeof FORMATS)[number];

interface ExportCliOptions extends FoldingCliOptions {
  format: string;
  input?: string;
  output?: string;
  tid?: string;
  pid?: string;
}

/** `perfws export`: the samples as a pprof profile or a speedscope file. */
export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description(
      'write the samples as a gzipped pprof profile (go tool pprof, Pyroscope, Parca) or a speedscope file',
    )
    .requiredOption('--format <format>', 'pprof (profile.proto, gzipped) or speedscope (JSON)')
    .option('-i, --input <file>', 'the recording')
    .option('-o, --output <file>', 'write here instead of standard output');
  addFoldingOptions(command, { verb: 'export', threads: '--tid', pids: '--pid' }).action(
    async (opts: ExportCliOptions) => {
      process.exitCode = await runExport(opts);
    },
  );
}

async function runExport(opts: ExportCliOptions): Promise<number> {
  const format = FORMATS.find((f) => f === opts.format);
  if (!format) {
    printError(`--format must be ${FORMATS.join(' or ')}, not ${opts.format}`);
    return 2;
  }
  const filterOptions: SampleFilterOptions = { ...opts, tids: opts.tid, pids: opts.pid };
  return withFilteredProfile(opts, filterOptions, async (profile) => {
    const data = await exported(format, profile, sampleFilters(profile, filterOptions));
    if (opts.output) writeFileSync(opts.output, data);
    else writeStdout(data);
    return 0;
  });
}

async function exported(
  format: ExportFormat,
  profile: Profile,
  filters: Filters,
): Promise<string | Uint8Array> {
  if (format === 'pprof') {
    const { pprofProfile } = await import('../session/export/pprof');
    return pprofProfile(profile, { filters });
  }
  const { speedscopeFile } = await import('../session/export/speedscope');
  return JSON.stringify(speedscopeFile(profile, { filters }));
}
