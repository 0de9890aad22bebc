import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { launcherArguments, registerOpenCommand } from '../../../src/cli/open-command';
import { appArguments, parseLaunchArgs } from '../../../src/main/launch-args';

interface StartRequest {
  recording: string | undefined;
  symbols: Record<string, string>;
  electronArgs: string[];
}
type Located = { ok: true; path: string } | { ok: false; reason: string };
interface StartIo {
  args: string[];
  root: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  uid: number | undefined;
  print(text: string): void;
  build(): number;
  findElectron(): Located;
  runElectron(
    path: string,
    args: string[],
  ): Promise<{ started: boolean; code: number; reason?: string }>;
}
interface StartScript {
  APP_ROOT: string;
  BUILD_OUTPUTS: string[];
  parseStartArgs(args: string[]): StartRequest;
  electronArguments(request: StartRequest, root: string, cwd: string): string[];
  locateElectron(root: string, env: NodeJS.ProcessEnv): Located;
  serveCommand(request: StartRequest, cwd: string): string;
  needsBuild(root: string): boolean;
  start(io: StartIo): Promise<number>;
  runElectron(
    path: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): Promise<{ started: boolean; code: number; reason?: string }>;
}

const START = pathToFileURL(join(import.meta.dirname, '../../../scripts/start.mjs')).href;
const script = (await import(START)) as StartScript;

const scratch = mkdtempSync(join(tmpdir(), 'perfws-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A checkout with the build outputs (newer than the sources) and, if asked, the sample. */
function checkout(withSample: boolean): string {
  const root = mkdtempSync(join(scratch, 'app-'));
  const touch = (p: string, when: number): void => {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), '');
    utimesSync(join(root, p), when, when);
  };
  touch('src/main/index.ts', 1000);
  touch('package.json', 1000);
  for (const p of script.BUILD_OUTPUTS) touch(p, 2000);
  if (withSample) touch('resources/sample/perf.data', 1000);
  return root;
}

function io(root: string, overrides: Partial<StartIo> = {}) {
  const printed: string[] = [];
  const launched: { path: string; args: string[] }[] = [];
  let builds = 0;
  const value: StartIo = {
    args: [],
    root,
    cwd: root,
    env: { DISPLAY: ':0' },
    platform: 'linux',
    uid: 1000,
    print: (t) => printed.push(t),
    build: () => {
      builds++;
      return 0;
    },
    // The real lookup, pointed at a runtime folder that does not exist (and never downloads).
    findElectron: () =>
      script.locateElectron(script.APP_ROOT, {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron-here'),
      }),
    runElectron: async (path, args) => {
      launched.push({ path, args });
      return { started: true, code: 0 };
    },
    ...overrides,
  };
  return { value, printed: () => printed.join(''), launched, builds: () => builds };
}

describe('npm start (scripts/start.mjs)', () => {
  it('without Electron: says so plainly, no stack trace, and prints the serve command for the sample', async () => {
    const root = checkout(true);
    const run = io(root);
    expect(await script.start(run.value)).toBe(1);
    const text = run.printed();
    expect(text).toContain(
      'perf workstation cannot start its desktop window here: the Electron runtime is missing',
    );
    expect(text).toContain(
      '  npx perfws serve resources/sample/perf.data --symfs resources/sample/symfs --kallsyms resources/sample/kallsyms\n',
    );
    expect(text).not.toMatch(/^\s+at /m);
    expect(text).not.toMatch(/Error:/);
    expect(run.launched).toEqual([]);
  });

  it('where the download fails, gives the reason in one line', async () => {
    const root = checkout(true);
    const run = io(root, {
      findElectron: () => ({
        ok: false,
        reason: 'the Electron runtime is not installed and could not be downloaded (fetch failed)',
      }),
    });
    await script.start(run.value);
    expect(run.printed().split('\n')[0]).toBe(
      'perf workstation cannot start its desktop window here: the Electron runtime is not installed and could not be downloaded (fetch failed).',
    );
  });

  it('without a display, or as root with the sandbox on, says why instead of starting', async () => {
    const root = checkout(true);
    const present = { findElectron: (): Located => ({ ok: true, path: '/e' }) };
    const headless = io(root, { env: {}, ...present });
    expect(await script.start(headless.value)).toBe(1);
    expect(headless.printed()).toMatch(/there is no display/);
    const root2 = io(root, { uid: 0, ...present });
    expect(await script.start(root2.value)).toBe(1);
    expect(root2.printed()).toMatch(/does not run as root.*npm start -- --no-sandbox/);
    expect(root2.launched).toEqual([]);
  });

  it('when the spawn fails, falls back the same way', async () => {
    const root = checkout(true);
    const run = io(root, {
      findElectron: () => ({ ok: true, path: '/usr/bin/electron' }),
      runElectron: async () => ({
        started: false,
        code: 1,
        reason: 'Electron could not be run (spawn EACCES)',
      }),
    });
    expect(await script.start(run.value)).toBe(1);
    expect(run.printed()).toMatch(/spawn EACCES\)\.\nOpen the same recording in your browser/);
  });

  it('reports a binary that cannot be spawned as not started', async () => {
    const result = await script.runElectron(join(scratch, 'missing-electron'), [], {});
    expect(result).toMatchObject({ started: false });
    expect(result.reason).toMatch(/Electron could not be run \(spawn .* ENOENT\)/);
  });

  it('starts Electron on the sample with its symbols, as absolute --opt=value arguments', async () => {
    const root = checkout(true);
    const run = io(root, {
      args: ['--', '--enable-logging'],
      findElectron: () => ({ ok: true, path: '/opt/electron/electron' }),
    });
    expect(await script.start(run.value)).toBe(0);
    expect(run.launched).toEqual([
      {
        path: '/opt/electron/electron',
        args: [
          root,
          join(root, 'resources/sample/perf.data'),
          `--symfs=${join(root, 'resources/sample/symfs')}`,
          `--kallsyms=${join(root, 'resources/sample/kallsyms')}`,
          '--enable-logging',
        ],
      },
    ]);
    expect(run.builds()).toBe(0);
  });

  it('builds first when an output is missing or older than the sources', async () => {
    const root = checkout(true);
    expect(script.needsBuild(root)).toBe(false);
    utimesSync(join(root, 'src/main/index.ts'), 3000, 3000);
    expect(script.needsBuild(root)).toBe(true);
    const run = io(root, { findElectron: () => ({ ok: true, path: '/e' }) });
    await script.start(run.value);
    expect(run.builds()).toBe(1);
    expect(run.printed()).toMatch(/building the app/);

    const failing = io(root, { build: () => 2 });
    expect(await script.start(failing.value)).toBe(2);
    expect(failing.printed()).toMatch(/the build failed/);
  });

  it('says when the bundled sample is missing and starts on no recording', async () => {
    const root = checkout(false);
    const run = io(root, { findElectron: () => ({ ok: true, path: '/e' }) });
    await script.start(run.value);
    expect(run.printed()).toMatch(/the bundled sample is missing/);
    expect(run.launched[0]?.args).toEqual([root]);
  });

  it('opens a named recording (perfws open) and prints its own serve command', async () => {
    const root = checkout(true);
    const run = io(root, {
      args: ['/data/run 1/perf.data', '--symfs=/data/symfs', '--buildid-dir', '/data/ids'],
      cwd: '/data',
    });
    await script.start(run.value);
    expect(run.printed()).toContain(
      "  npx perfws serve 'run 1/perf.data' --symfs symfs --buildid-dir ids\n",
    );
  });

  it('reports usage mistakes without a stack', async () => {
    const run = io(checkout(true), { args: ['a.data', 'b.data'] });
    expect(await script.start(run.value)).toBe(2);
    expect(run.printed()).toBe(
      'perf workstation: one recording at a time (got a.data and b.data)\n',
    );
  });
});

describe('perfws open (src/cli/open-command.ts)', () => {
  it('registers `open <file>` with --compare and the symbol options', () => {
    const program = new Command();
    registerOpenCommand(program);
    const open = program.commands.find((c) => c.name() === 'open');
    expect(open?.registeredArguments.map((a) => a.name())).toEqual(['file']);
    expect(open?.options.map((o) => o.long)).toEqual([
      '--compare',
      '--symfs',
      '--kallsyms',
      '--buildid-dir',
      '--demangle',
      '--no-demangle',
      '--source-path',
    ]);
  });

  it('hands the launcher absolute paths, in the form it and Chromium keep intact', () => {
    expect(
      launcherArguments('perf.data', { symfs: 'sym', kallsyms: '/k', buildidDir: 'ids' }, '/w'),
    ).toEqual(['/w/perf.data', '--symfs=/w/sym', '--kallsyms=/k', '--buildid-dir=/w/ids']);
    expect(launcherArguments('a.data', { demangle: false }, '/w')).toEqual([
      '/w/a.data',
      '--no-demangle',
    ]);
    const request = script.parseStartArgs(launcherArguments('a.data', { symfs: 's' }, '/w'));
    expect(request).toEqual({
      recording: '/w/a.data',
      symbols: { '--symfs': '/w/s' },
      electronArgs: [],
    });
    expect(script.electronArguments(request, '/app', '/elsewhere')).toEqual([
      '/app',
      '/w/a.data',
      '--symfs=/w/s',
    ]);
  });

  it('gets --compare NEW to the app and into the serve command it suggests', () => {
    const request = script.parseStartArgs(launcherArguments('a.data', { compare: 'b.data' }, '/w'));
    const electron = script.electronArguments(request, '/app', '/w');
    expect(electron).toEqual(['/app', '/w/a.data', '--compare=/w/b.data']);
    const app = parseLaunchArgs(appArguments(['/usr/bin/electron', ...electron], true), '/w');
    expect(app.compare).toEqual({ path: '/w/b.data', symbols: {} });
    expect(script.serveCommand(request, '/w')).toBe('npx perfws serve a.data --compare b.data');
  });

  it('gets --no-demangle to the app: the launcher passes it on, the app parses it', () => {
    const request = script.parseStartArgs(launcherArguments('a.data', { demangle: false }, '/w'));
    const electron = script.electronArguments(request, '/app', '/w');
    expect(electron).toEqual(['/app', '/w/a.data', '--no-demangle']);
    const app = parseLaunchArgs(appArguments(['/usr/bin/electron', ...electron], true), '/w');
    expect(app.recordings).toEqual([{ path: '/w/a.data', symbols: { demangle: false } }]);
  });
});
