#!/usr/bin/env node
// Run after the build: the Node bundles (CLI, session, merged export) must never reference
// `electron` — in plain Node the package resolves to a path string, so a stray import would fail
// silently —, the main process bundle must not contain session code, and the built page's CSP
// <meta> must be the one policy of src/shared/policy/content-security-policy.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

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
const { RENDERER_META_CSP } = await tsImport(
  '../src/shared/policy/content-security-policy.ts',
  import.meta.url,
);
const page = readFileSync('out/renderer/index.html', 'utf8');
const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(page)?.[1];
if (meta !== RENDERER_META_CSP) {
  problems.push(
    `out/renderer/index.html: its CSP <meta> is ${JSON.stringify(meta)}, not RENDERER_META_CSP ${JSON.stringify(RENDERER_META_CSP)}`,
  );
}
if (problems.length) {
  console.error(`bundle check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'bundle check: node bundles free of electron, main free of session code, the page CSP is the shared one',
);
