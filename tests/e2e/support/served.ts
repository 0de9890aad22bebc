import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { resolveRendererDir } from '../../../src/cli/serve/renderer-dir';
import { startServer, type RunningServer } from '../../../src/cli/serve/server';
import { resolveSessionEntry } from '../../../src/cli/serve/session-entry';
import type { SymbolSettings } from '../../../src/shared/contract';
import { ROOT } from './build-renderer';

export const FIXTURES = join(ROOT, 'tests', 'fixtures');
export const fixture = (relative: string): string => join(FIXTURES, relative);

/** The real fixtures' symbols: their symfs and kallsyms, and an empty build-id cache. */
export function fixtureSymbols(): SymbolSettings {
  return {
    symfs: fixture('real/symfs'),
    kallsyms: fixture('real/kallsyms'),
    buildidDir: mkdtempSync(join(tmpdir(), 'perfws-e2e-buildid-')),
  };
}

export interface ServeFixture {
  /** Starts `perfws serve FILE [--compare NEW]` in-process (a free port, forked sessions). */
  serve(file: string, symbols?: SymbolSettings, compare?: string): Promise<RunningServer>;
  /** Serves FILE and opens it in the page; resolves when the workspace is shown. */
  open(
    page: Page,
    file: string,
    symbols?: SymbolSettings,
    compare?: string,
  ): Promise<RunningServer>;
}

export const test = base.extend<{ perfws: ServeFixture }>({
  perfws: async ({ page }, use) => {
    // The page must run clean: no CSP violation (no inline code or styles, no eval), no uncaught
    // error. Both would be bugs even when the test's own checks pass.
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(`CSP: ${m.text()}`);
      }
    });
    const servers: RunningServer[] = [];
    const rendererDir = resolveRendererDir();
    if (!rendererDir) throw new Error('out/renderer is missing (global setup builds it)');
    const serve = async (
      file: string,
      symbols = fixtureSymbols(),
      compare?: string,
    ): Promise<RunningServer> => {
      const server = await startServer({
        file,
        compare,
        port: 0,
        hostCheck: true,
        symbols,
        rendererDir,
        sessionEntry: resolveSessionEntry(),
      });
      servers.push(server);
      return server;
    };
    await use({
      serve,
      open: async (page, file, symbols, compare) => {
        const server = await serve(file, symbols, compare);
        await page.goto(server.url);
        await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 60_000 });
        return server;
      },
    });
    for (const s of servers) await s.close();
    expect(problems, 'the page logged CSP violations or uncaught errors').toEqual([]);
  },
});

export { expect };

/** Saves a screenshot as a test artefact under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

/** Switches the theme through the toolbar button until the document has the wanted one. */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  for (let i = 0; i < 3; i++) {
    if ((await page.locator('html').getAttribute('data-theme')) === theme) return;
    await page.getByTestId('theme-toggle').click();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}
