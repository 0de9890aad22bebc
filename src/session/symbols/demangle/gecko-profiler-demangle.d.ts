/** Types for the wasm-bindgen glue of the `gecko-profiler-demangle` package (it ships none for this file). */
declare module 'gecko-profiler-demangle/index_bg.js' {
  export function __wbg_set_wasm(exports: unknown): void;
  export function demangle_any(name: string): string;
}
