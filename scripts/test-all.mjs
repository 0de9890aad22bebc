#!/usr/bin/env node
// The one test command (`npm test`): build, typecheck, lint, every test suite. Prints a plain
// `N passed, N failed` line last (CI reads it) and exits non-zero when anything failed.
// Checks count as one test each; suites count their tests from their JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const results = { passed: 0, failed: 0 };
const npx = 'npx';
const failures = [];
mkdirSync('test-results', { recursive: true });

function run(title, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${title}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(title, cmd, args) {
  if (run(title, cmd, args)) results.passed++;
  else {
    results.failed++;
    failures.push(title);
  }
}

/** Runs a suite that writes a JSON report; counts its tests (a crash counts as one failure). */
function suite(title, cmd, args, report, count, env) {
  rmSync(report, { force: true });
  const ok = run(title, cmd, args, env);
  if (!existsSync(report)) {
    results.failed++;
    failures.push(`${title} (no report)`);
    return;
  }
  const { passed, failed } = count(JSON.parse(readFileSync(report, 'utf8')));
  results.passed += passed;
  results.failed += failed;
  if (failed > 0 || (!ok && failed === 0)) failures.push(title);
  if (!ok && failed === 0) results.failed++;
}

check('build', 'npm', ['run', 'build']);
check('typecheck', 'npm', ['run', 'typecheck']);
for (const project of ['tests/e2e', 'tests/electron']) {
  if (existsSync(`${project}/tsconfig.json`))
    check(`typecheck ${project}`, npx, ['tsc', '-p', project]);
}
check('lint', 'npm', ['run', 'lint']);
suite(
  'unit and integration tests (vitest)',
  npx,
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json',
  ],
  'test-results/vitest.json',
  (j) => ({
    passed: j.numPassedTests,
    failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0),
  }),
  { TZ: 'UTC', LC_ALL: 'C' },
);
if (existsSync('playwright.config.ts')) {
  const countPlaywright = (j) => ({
    passed: j.stats.expected + j.stats.flaky,
    failed: j.stats.unexpected,
  });
  suite(
    'end-to-end tests (playwright)',
    npx,
    ['playwright', 'test', '--project', 'e2e'],
    'test-results/playwright.json',
    countPlaywright,
    { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/playwright.json') },
  );
  // Timing budgets are measured alone, one spec at a time: beside other specs (two workers on
  // a two-core machine) they measure the contention, not the app.
  suite(
    'performance budgets (playwright)',
    npx,
    ['playwright', 'test', '--project', 'performance', '--workers', '1'],
    'test-results/playwright-performance.json',
    countPlaywright,
    { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/playwright-performance.json') },
  );
}

// The desktop app under real Electron: runs wherever an Electron binary exists, and reports
// itself skipped (with the reason, printed by the suite) where there is none.
suite(
  'desktop app (playwright _electron)',
  npx,
  ['playwright', 'test', '-c', 'tests/electron/playwright.config.ts'],
  'test-results/playwright-electron.json',
  (j) => {
    if (j.stats.skipped)
      process.stdout.write(
        `desktop app tests skipped: ${j.stats.skipped} (see the reason above)\n`,
      );
    return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected };
  },
  { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/playwright-electron.json') },
);

if (failures.length) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`${results.passed} passed, ${results.failed} failed\n`);
process.exit(results.failed > 0 ? 1 : 0);
