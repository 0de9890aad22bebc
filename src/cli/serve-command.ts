import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { addSymbolOptions, symbolSettings, type SymbolCliOptions } from './common-options';
import { resolveRendererDir, RENDERER_BUILD_HINT } from './serve/renderer-dir';
import { resolveSessionEntry } from './serve/session-entry';

interface ServeCliOptions extends SymbolCliOptions {
  port: number;
  hostCheck: boolean;
  compare?: string;
}

/**
 * `perfws serve FILE`: the workstation in a browser (machines without a display, and the
 * end-to-end tests). Prints the URL with its per-run token on a line of its own.
 */
export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('show a recording in your browser (loopback only, with a per-run token)')
    .argument('<file>', 'the recording (perf.data)')
    .option(
      '--compare <new>',
      'a second recording, compared against FILE (the baseline) in the differential flame graph',
    )
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort, 0)
    .option('--host-check', 'accept only loopback host names in the Host header (default)', true)
    .option('--no-host-check', 'accept any Host header (e.g. behind a proxy that renames it)');
  addSymbolOptions(command, { sourcePath: true }).action(
    async (file: string, opts: ServeCliOptions) => {
      process.exitCode = await runServe(file, opts);
    },
  );
}

async function runServe(file: string, opts: ServeCliOptions): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const { startServer } = await import('./serve/server');
  const path = resolve(file);
  const compare = opts.compare === undefined ? undefined : resolve(opts.compare);
  for (const [given, resolved] of [
    [file, path],
    [opts.compare, compare],
  ] as const) {
    if (given === undefined || resolved === undefined) continue;
    if (!existsSync(resolved)) return fail(`${given}: no such file`);
    if (!statSync(resolved).isFile() && !statSync(resolved).isDirectory()) {
      return fail(`${given}: not a file`);
    }
  }
  const rendererDir = resolveRendererDir();
  if (!rendererDir) return fail(RENDERER_BUILD_HINT);
  const server = await startServer({
    file: path,
    compare,
    port: opts.port,
    hostCheck: opts.hostCheck,
    symbols: symbolSettings(opts),
    rendererDir,
    sessionEntry: resolveSessionEntry(),
  });
  process.stdout.write(
    `perf workstation is serving ${path}${compare ? ` (compared with ${compare})` : ''}\nOpen this URL in a browser on this machine:\n${server.url}\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port number from 0 to 65535');
  }
  return port;
}

function fail(message: string): number {
  process.stderr.write(`perfws: ${message}\n`);
  return 1;
}
