import { describe, expect, it } from 'vitest';
import {
  appArguments,
  handoffOf,
  parseHandoff,
  parseLaunchArgs,
} from '../../../src/main/launch-args';

describe('appArguments', () => {
  it('skips the app path when run as `electron APP ...`, only the binary when packaged', () => {
    expect(appArguments(['/usr/bin/electron', '/work/app', 'a.data'], true)).toEqual(['a.data']);
    expect(
      appArguments(
        ['/usr/bin/electron', '--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '/app'],
        true,
      ),
    ).toEqual([]);
    expect(appArguments(['/usr/bin/electron', '--no-sandbox', '/app', 'a.data'], true)).toEqual([
      'a.data',
    ]);
    expect(appArguments(['/opt/perf-workstation/perf-workstation', 'a.data'], false)).toEqual([
      'a.data',
    ]);
  });
});

describe('parseLaunchArgs', () => {
  it('resolves files and symbol options against the working directory', () => {
    expect(
      parseLaunchArgs(['perf.data', '--symfs', 'sym', '--kallsyms=/k/kallsyms'], '/rec'),
    ).toEqual({
      recordings: [
        { path: '/rec/perf.data', symbols: { symfs: '/rec/sym', kallsyms: '/k/kallsyms' } },
      ],
    });
  });

  it('resolves every folder of --source-path (annotate) and hands it over', () => {
    const request = parseLaunchArgs(['a.data', '--source-path', 'src:/abs/lib::more'], '/w');
    expect(request.recordings[0]!.symbols).toEqual({ sourcePath: '/w/src:/abs/lib:/w/more' });
    expect(parseHandoff(structuredClone(handoffOf(request)))).toEqual(request);
    const relative = { perfws: 1, recordings: [{ path: '/a', symbols: { sourcePath: '/x:rel' } }] };
    expect(parseHandoff(relative)).toBeUndefined();
  });

  it('applies the symbol options to every file, wherever they stand', () => {
    const { recordings } = parseLaunchArgs(['--buildid-dir=/cache', 'a.data', '/abs/b.data'], '/w');
    expect(recordings).toEqual([
      { path: '/w/a.data', symbols: { buildidDir: '/cache' } },
      { path: '/abs/b.data', symbols: { buildidDir: '/cache' } },
    ]);
  });

  it('takes --no-demangle like every perfws command (the launcher passes it on)', () => {
    expect(parseLaunchArgs(['a.data', '--no-demangle', '--symfs=/s'], '/w')).toEqual({
      recordings: [{ path: '/w/a.data', symbols: { symfs: '/s', demangle: false } }],
    });
    expect(parseLaunchArgs(['--demangle', 'a.data'], '/w').recordings[0]?.symbols).toEqual({
      demangle: true,
    });
  });

  it('takes --compare NEW (perfws open BASE --compare NEW) and hands it over', () => {
    const request = parseLaunchArgs(['new.data', '--compare', 'old.data', '--symfs=/s'], '/w');
    expect(request).toEqual({
      recordings: [{ path: '/w/new.data', symbols: { symfs: '/s' } }],
      compare: { path: '/w/old.data', symbols: { symfs: '/s' } },
    });
    expect(parseLaunchArgs(['new.data', '--compare=/o.data'], '/w').compare?.path).toBe('/o.data');
    expect(parseHandoff(structuredClone(handoffOf(request)))).toEqual(request);
    expect(parseHandoff({ ...handoffOf(request), compare: 'old.data' })).toBeUndefined();
  });

  it("skips Chromium's and Electron's switches", () => {
    expect(
      parseLaunchArgs(['--no-sandbox', '--inspect=0', 'x.data', '--enable-logging'], '/w'),
    ).toEqual({ recordings: [{ path: '/w/x.data', symbols: {} }] });
  });

  it('takes everything after -- as files, even names starting with a dash', () => {
    expect(parseLaunchArgs(['--', '-odd.data'], '/w').recordings[0]?.path).toBe('/w/-odd.data');
  });

  it('opens nothing without file arguments', () => {
    expect(parseLaunchArgs([], '/w')).toEqual({ recordings: [] });
    expect(parseLaunchArgs(['--symfs'], '/w')).toEqual({ recordings: [] });
  });
});

describe('the second-instance hand-off', () => {
  it('round-trips a request', () => {
    const request = parseLaunchArgs(['a.data', '--symfs', 's'], '/w');
    expect(parseHandoff(structuredClone(handoffOf(request)))).toEqual(request);
  });

  it('refuses anything that is not what a second instance of this app sends', () => {
    expect(parseHandoff(undefined)).toBeUndefined();
    expect(parseHandoff({ recordings: [] })).toBeUndefined();
    expect(parseHandoff({ perfws: 1, recordings: [{ path: 'relative.data', symbols: {} }] })).toBe(
      undefined,
    );
    expect(
      parseHandoff({ perfws: 1, recordings: [{ path: '/a.data', symbols: { symfs: 'rel' } }] }),
    ).toBeUndefined();
    expect(
      parseHandoff({ perfws: 1, recordings: [{ path: '/a.data', symbols: { demangle: 'yes' } }] }),
    ).toBeUndefined();
  });
});
