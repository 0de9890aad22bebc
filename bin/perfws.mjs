#!/usr/bin/env node
// The `perfws` command: runs the built CLI (npm run build). Run from a checkout after the README set-up.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/node/perfws.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'perfws: not built yet. Run `npm run build` in the perf workstation checkout.\n',
  );
  process.exit(1);
}
await import(entry);
