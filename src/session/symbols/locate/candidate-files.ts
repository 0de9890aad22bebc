/**
 * Where perf 6.1 looks for a user-space DSO's symbols, in its order
 * (util/symbol.c binary_type_symtab[], util/dso.c
 * dso__read_binary_type_filename(), util/build-id.c):
 *
 *   1. DEBUGLINK            the file named by the DSO's .gnu_debuglink, next to the DSO,
 *                           in its .debug/ folder, or under /usr/lib/debug/<dir>/
 *   2. BUILD_ID_CACHE       <buildid-dir>/.build-id/xx/yyyy (old layout) or .../yyyy/elf
 *   3. BUILD_ID_CACHE_DEBUGINFO  <buildid-dir>/.build-id/xx/yyyy/debug
 *   4. FEDORA_DEBUGINFO     /usr/lib/debug/<path>.debug
 *   5. UBUNTU_DEBUGINFO     /usr/lib/debug/<path>
 *   6. BUILDID_DEBUGINFO    /usr/lib/debug/.build-id/xx/yyyy.debug
 *   7. SYSTEM_PATH_DSO      <path> itself
 *   8. OPENEMBEDDED_DEBUGINFO  <dir>/.debug/<name>
 *   9. MIXEDUP_UBUNTU_DEBUGINFO  /usr/lib/debug/<path without /usr>
 *
 * Every path except the build-id cache is taken under the symfs root when
 * one is given; so with a symfs the host's /usr/lib/debug is never used.
 * Paths in brackets ([vdso], [vsyscall]) are not files: only the build-id
 * cache can hold them (as .../yyyy/vdso).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ElfFile } from '../elf/elf-file.js';

export type BinaryType =
  | 'debuglink'
  | 'build-id-cache'
  | 'build-id-cache-debuginfo'
  | 'fedora-debuginfo'
  | 'ubuntu-debuginfo'
  | 'buildid-debuginfo'
  | 'system-path-dso'
  | 'openembedded-debuginfo'
  | 'mixedup-ubuntu-debuginfo';

export interface Candidate {
  type: BinaryType;
  path: string;
}

export interface LocateContext {
  /** The DSO's recorded path (perf's long_name). */
  dsoPath: string;
  /** Lowercase hex build-id, if known. */
  buildId: string | undefined;
  /** symfs root ('' for none). */
  symfs: string;
  /** Root of the build-id cache (perf's buildid_dir, default ~/.debug). */
  buildIdDir: string;
}

/**
 * perf's path__join(symfs, path), confined to symfs: the recorded path is normalised as an
 * absolute path first, so a recorded name like `/../../home/user/bin/prog` cannot climb above
 * the symfs root (`..` at the root stays at the root). Symlinks inside symfs are followed, as
 * perf follows them.
 */
export function joinSymfs(symfs: string, p: string): string {
  if (!symfs) return p;
  return path.join(symfs, path.posix.normalize(`/${p}`));
}

/**
 * A build-id as the cache names it: lowercase hex, nothing that could form a path. The reader
 * makes every build-id this way (records.ts hex()); candidateFiles() checks anyway.
 */
const BUILD_ID_RE = /^[0-9a-f]{2,}$/;

export function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** build_id_cache__linkname() + __dso__build_id_filename(). */
export function buildIdCachePath(
  buildIdDir: string,
  buildId: string,
  kind: 'elf' | 'debug' | 'vdso' | 'kallsyms',
): string {
  const link = path.join(buildIdDir, '.build-id', buildId.slice(0, 2), buildId.slice(2));
  return isRegularFile(link) ? link : path.join(link, kind);
}

function debugLinkCandidate(ctx: LocateContext): string | undefined {
  const file = joinSymfs(ctx.symfs, ctx.dsoPath);
  if (!isRegularFile(file)) return undefined;
  let link: string | undefined;
  try {
    const elf = ElfFile.open(file);
    try {
      link = elf.debugLink()?.name;
    } finally {
      elf.close();
    }
  } catch {
    return undefined;
  }
  if (!link) return undefined;
  // Each place is a recorded-machine path put under symfs: a debuglink name cannot leave it.
  const origDir = path.dirname(ctx.dsoPath);
  const tries = [
    path.join(origDir, link),
    path.join(origDir, '.debug', link),
    path.join('/usr/lib/debug', origDir, link),
  ].map((p) => joinSymfs(ctx.symfs, p));
  return tries.find(isRegularFile);
}

/** The candidates in perf's order; each is only a path, it may not exist. */
export function* candidateFiles(ctx: LocateContext): Generator<Candidate> {
  const isBracketName = ctx.dsoPath.startsWith('[');
  const id = ctx.buildId && BUILD_ID_RE.test(ctx.buildId) ? ctx.buildId : undefined;
  if (!isBracketName) {
    const dl = debugLinkCandidate(ctx);
    if (dl) yield { type: 'debuglink', path: dl };
  }
  if (id) {
    const isVdso =
      ctx.dsoPath === '[vdso]' || ctx.dsoPath === '[vdso32]' || ctx.dsoPath === '[vdsox32]';
    yield {
      type: 'build-id-cache',
      path: buildIdCachePath(ctx.buildIdDir, id, isVdso ? 'vdso' : 'elf'),
    };
    yield {
      type: 'build-id-cache-debuginfo',
      path: buildIdCachePath(ctx.buildIdDir, id, isVdso ? 'vdso' : 'debug'),
    };
  }
  if (isBracketName) return;
  const p = ctx.dsoPath;
  yield { type: 'fedora-debuginfo', path: joinSymfs(ctx.symfs, `/usr/lib/debug${p}.debug`) };
  yield { type: 'ubuntu-debuginfo', path: joinSymfs(ctx.symfs, `/usr/lib/debug${p}`) };
  if (id) {
    yield {
      type: 'buildid-debuginfo',
      path: joinSymfs(ctx.symfs, `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`),
    };
  }
  yield { type: 'system-path-dso', path: joinSymfs(ctx.symfs, p) };
  yield {
    type: 'openembedded-debuginfo',
    path: joinSymfs(ctx.symfs, path.join(path.dirname(p), '.debug', path.basename(p))),
  };
  if (p.startsWith('/usr/lib/')) {
    yield {
      type: 'mixedup-ubuntu-debuginfo',
      path: joinSymfs(ctx.symfs, `/usr/lib/debug${p.slice(4)}`),
    };
  }
}
