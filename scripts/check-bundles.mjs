#!/usr/bin/env node
// Run after the build: the Node bundles (CLI, session, merged export) must never reference
// `electron` — in plain Node the package resolves to a path string, so a stray import would fail
// silently — and the main process bundle must not contain session code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = (dir) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.js') ? [p] : [];
  });
const problems = [];
for (const f of files('out/node')) {
  if (
    /\bfrom\s*["']electron["']|require\(["']electron["']\)|import\(["']electron["']\)/.test(
      readFileSync(f, 'utf8'),
    )
  ) {
    problems.push(`${f} references electron`);
  }
}
for (const f of files('out/main')) {
  if (
    /class PerfDataReader|function parseSample|class SessionService/.test(readFileSync(f, 'utf8'))
  ) {
    problems.push(`${f} contains session code`);
  }
}
if (problems.length) {
  console.error(`bundle check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('bundle check: node bundles free of electron, main free of session code');
