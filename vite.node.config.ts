import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The Node side that runs without Electron: the `perfws` command line and the session entry
 * (forked as a child process or worker by `perfws serve` and by tests). Dependencies stay
 * external (resolved from node_modules at run time); the output is ESM for Node 20.
 */
export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/node',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: {
        perfws: resolve(import.meta.dirname, 'src/cli/perfws.ts'),
        session: resolve(import.meta.dirname, 'src/session/entries/session.ts'),
        'merged-export': resolve(import.meta.dirname, 'src/session/entries/merged-export.ts'),
        'load-worker': resolve(import.meta.dirname, 'src/session/entries/load-worker.ts'),
        'bench-load': resolve(import.meta.dirname, 'scripts/bench-load.ts'),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        // chunks beside the entries: the session finds load-worker.js next to its own module
        chunkFileNames: '[name]-[hash].js',
      },
    },
  },
});
