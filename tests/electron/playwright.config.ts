import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

/**
 * The desktop app under real Electron (`_electron.launch`), apart from the browser end-to-end
 * suite (playwright.config.ts at the top): it needs the app build (`npm run build`) and an
 * Electron runtime, and skips itself, loudly, where there is none.
 *
 *   npx playwright test -c tests/electron/playwright.config.ts
 */
const results = (name: string): string =>
  fileURLToPath(new URL(`../../test-results/${name}`, import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: /\.spec\.ts$/,
  outputDir: results('electron'),
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? results('playwright-electron.json'),
      },
    ],
  ],
});
