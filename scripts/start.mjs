#!/usr/bin/env node
// `npm start` and `perfws open`: builds the app if needed, then starts Electron on a recording
// (the bundled sample when none is given). Where Electron cannot start (no runtime, no display,
// root without --no-sandbox) it says so in one plain sentence and prints the browser-mode command
// for the same recording instead.
//
//   node scripts/start.mjs [FILE] [--symfs DIR] [--kallsyms FILE] [--buildid-dir DIR] [-- ELECTRON-ARGS]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const APP_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const SAMPLE = {
  recording: 'resources/sample/perf.data',
  symfs: 'resources/sample/symfs',
  kallsyms: 'resources/sample/kallsyms',
};

/** What the build must produce for the app to start (electron-vite, and vite for the session). */
export const BUILD_OUTPUTS = [
  'out/main/index.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'out/node/session.js',
];
const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'vite.node.config.ts', 'package.json'];

// path options, resolved here: the symbol options and `--compare NEW` (perfws open BASE --compare NEW)
const SYMBOL_OPTIONS = ['--symfs', '--kallsyms', '--buildid-dir', '--compare'];

/**
 * @typedef {{ recording: string | undefined, symbols: Record<string, string>, electronArgs: string[] }} StartRequest
 * `symbols` maps an option (`--symfs`) to its value, as given.
 */

/** @returns {StartRequest} */
export function parseStartArgs(args) {
  /** @type {StartRequest} */
  const request = { recording: undefined, symbols: {}, electronArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      request.electronArgs.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (SYMBOL_OPTIONS.includes(name)) {
      const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      request.symbols[name] = value;
    } else if (arg.startsWith('-')) {
      // Chromium and Electron switches (--no-sandbox, --enable-logging...) go to Electron.
      request.electronArgs.push(arg);
    } else if (request.recording === undefined) {
      request.recording = arg;
    } else {
      throw new UsageError(`one recording at a time (got ${request.recording} and ${arg})`);
    }
  }
  return request;
}

/** The request with the sample filled in when no recording was named. */
export function withSample(request, root) {
  if (request.recording !== undefined) return request;
  return {
    ...request,
    recording: join(root, SAMPLE.recording),
    symbols: {
      '--symfs': join(root, SAMPLE.symfs),
      '--kallsyms': join(root, SAMPLE.kallsyms),
      ...request.symbols,
    },
  };
}

/** Electron's arguments: the app, the recording and its symbol options as absolute paths. */
export function electronArguments(request, root, cwd) {
  const args = [root];
  if (request.recording !== undefined) args.push(resolve(cwd, request.recording));
  for (const [name, value] of Object.entries(request.symbols)) {
    // `--opt=value`: Chromium keeps a switch and its value together only in this form.
    args.push(`${name}=${resolve(cwd, value)}`);
  }
  return [...args, ...request.electronArgs];
}

/** The browser-mode command for the same recording, with paths as short as they can be. */
export function serveCommand(request, cwd) {
  const words = ['npx', 'perfws', 'serve'];
  words.push(request.recording === undefined ? 'FILE' : displayPath(request.recording, cwd));
  for (const [name, value] of Object.entries(request.symbols)) {
    words.push(name, displayPath(value, cwd));
  }
  return words.map(shellQuote).join(' ');
}

export function cannotStartMessage(reason, request, cwd) {
  return [
    `perf workstation cannot start its desktop window here: ${reason}.`,
    'Open the same recording in your browser instead:',
    '',
    `  ${serveCommand(request, cwd)}`,
    '',
  ].join('\n');
}

/**
 * Where the Electron runtime is, without ever printing a stack trace. `require('electron')`
 * returns the binary's path, downloading the runtime first if needed (electron 45 fetches it
 * lazily); it runs in a child whose output we keep, because a failed download prints stacks.
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function locateElectron(root, env) {
  const marker = '@@perfws-electron-path@@';
  const probe = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(${JSON.stringify(marker)} + require('electron'))`],
    { cwd: root, env, encoding: 'utf8' },
  );
  const out = probe.stdout ?? '';
  const at = out.lastIndexOf(marker);
  if (probe.status !== 0 || at < 0) {
    if (/Cannot find module 'electron'/.test(probe.stderr ?? '')) {
      return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
    }
    const cause = firstErrorMessage(probe.stderr ?? '');
    return {
      ok: false,
      reason:
        'the Electron runtime is not installed and could not be downloaded' +
        (cause ? ` (${cause})` : ''),
    };
  }
  const path = out.slice(at + marker.length).trim();
  if (!existsSync(path)) {
    return { ok: false, reason: `the Electron runtime is missing (${path} does not exist)` };
  }
  return { ok: true, path };
}

/** Reasons known before starting it: Electron would only fail with a worse message. */
export function environmentProblem(env, platform, uid, electronArgs) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  if (platform === 'linux' && uid === 0 && !electronArgs.includes('--no-sandbox')) {
    return (
      'Electron does not run as root with its sandbox on ' +
      '(run as a normal user, or accept running without it: npm start -- --no-sandbox)'
    );
  }
  return undefined;
}

/** True when an output is missing or older than a source file. */
export function needsBuild(root) {
  const outputs = BUILD_OUTPUTS.map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return true;
  const oldestOutput = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return BUILD_INPUTS.some((p) => newestMtime(join(root, p)) > oldestOutput);
}

/**
 * @param {{ args: string[], root: string, cwd: string, env: NodeJS.ProcessEnv,
 *   platform: NodeJS.Platform, uid: number | undefined,
 *   print: (text: string) => void, build: () => number,
 *   findElectron: () => ReturnType<typeof locateElectron>,
 *   runElectron: (path: string, args: string[]) => Promise<{ started: boolean, code: number, reason?: string }> }} io
 * @returns {Promise<number>} the exit code
 */
export async function start(io) {
  let request;
  try {
    request = parseStartArgs(io.args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.print(`perf workstation: ${e.message}\n`);
    return 2;
  }
  const sample = request.recording === undefined;
  request = withSample(request, io.root);
  if (sample && !existsSync(request.recording)) {
    io.print(`perf workstation: the bundled sample is missing (${SAMPLE.recording}).\n`);
    request = { ...request, recording: undefined, symbols: {} };
  }

  if (needsBuild(io.root)) {
    io.print('perf workstation: building the app (npm run build)...\n');
    const code = io.build();
    if (code !== 0) {
      io.print(`perf workstation: the build failed (npm run build exited with ${code}).\n`);
      return code || 1;
    }
    const missing = BUILD_OUTPUTS.filter((p) => !existsSync(join(io.root, p)));
    if (missing.length) {
      io.print(`perf workstation: npm run build did not produce ${missing.join(', ')}.\n`);
      return 1;
    }
  }

  const electron = io.findElectron();
  if (!electron.ok) {
    io.print(cannotStartMessage(electron.reason, request, io.cwd));
    return 1;
  }
  const problem = environmentProblem(io.env, io.platform, io.uid, request.electronArgs);
  if (problem) {
    io.print(cannotStartMessage(problem, request, io.cwd));
    return 1;
  }
  const run = await io.runElectron(electron.path, electronArguments(request, io.root, io.cwd));
  if (!run.started) {
    io.print(cannotStartMessage(run.reason ?? 'Electron did not start', request, io.cwd));
    return 1;
  }
  return run.code;
}

/** Starts Electron, forwarding Ctrl-C; `started: false` when it never got going. */
export function runElectron(path, args, env) {
  return new Promise((done) => {
    const child = spawn(path, args, { stdio: 'inherit', env });
    const forward = (signal) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt).on('SIGTERM', onTerm);
    const finish = (result) => {
      process.off('SIGINT', onInt).off('SIGTERM', onTerm);
      done(result);
    };
    child.on('error', (e) =>
      finish({ started: false, code: 1, reason: `Electron could not be run (${e.message})` }),
    );
    child.on('exit', (code, signal) => {
      // 127: the dynamic loader refused the binary (a shared library is missing).
      if (code === 127) {
        finish({
          started: false,
          code,
          reason: 'the Electron runtime could not be loaded (a shared library is missing)',
        });
      } else finish({ started: true, code: code ?? (signal ? 1 : 0) });
    });
  });
}

class UsageError extends Error {}

/** Newest file under a path (directories' own times move with editors' swap files: ignored). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function firstErrorMessage(stderr) {
  const line = stderr.split('\n').find((l) => /^\w*Error: /.test(l));
  return line?.replace(/^\w*Error: /, '').trim();
}

function displayPath(path, cwd) {
  const rel = relative(cwd, resolve(cwd, path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel)
    ? rel.split(sep).join('/')
    : resolve(cwd, path);
}

function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  process.exitCode = await start({
    args: process.argv.slice(2),
    root: APP_ROOT,
    cwd: process.cwd(),
    env: process.env,
    platform: process.platform,
    uid: process.getuid?.(),
    print: (text) => process.stdout.write(text),
    build: () => {
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      return spawnSync(npm, ['run', 'build'], { cwd: APP_ROOT, stdio: 'inherit' }).status ?? 1;
    },
    findElectron: () => locateElectron(APP_ROOT, process.env),
    runElectron: (path, args) => runElectron(path, args, process.env),
  });
}
