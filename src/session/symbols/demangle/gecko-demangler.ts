/**
 * Synchronous access to the `gecko-profiler-demangle` package: the Firefox
 * Profiler's WASM build of cpp_demangle (C++, Itanium ABI) and
 * rustc-demangle (Rust legacy and v0).
 *
 * The package's entry point imports its .wasm file as an ES module, which
 * Node 20 cannot load without a flag, so we compile the same .wasm file
 * synchronously ourselves and hand it to the package's own JS glue
 * (index_bg.js), exactly as its entry point would.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as glue from 'gecko-profiler-demangle/index_bg.js';

/** The few WebAssembly JS API members used here (lib ES2023 does not declare them). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, object>,
  ) => { exports: Record<string, unknown> };
}

let demangleAny: ((name: string) => string) | undefined;

function load(): (name: string) => string {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('gecko-profiler-demangle/package.json'));
  const bytes = fs.readFileSync(path.join(pkgDir, 'index_bg.wasm'));
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new wasm.Instance(new wasm.Module(bytes), { './index_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports['__wbindgen_start'];
  if (typeof start === 'function') (start as () => void)();
  return (name) => glue.demangle_any(name);
}

/**
 * The package's demangle_any(): Rust first, then C++; returns the input
 * unchanged (or without its first '_') when neither applies.
 */
export function geckoDemangle(name: string): string {
  demangleAny ??= load();
  return demangleAny(name);
}
