import type { Page } from '@playwright/test';
import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';
import { SessionOracle } from './support/oracle';

/** The flame graph's root row sits at the bottom of its canvas (flamegraph.pl's way up). */
async function rootRowPoint(page: Page, fraction: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('flame-graph-canvas').locator('canvas').boundingBox())!;
  return { x: box.x + box.width * fraction, y: box.y + box.height - 9 };
}

test('the flame graph zooms into a box on click, backs out by breadcrumb and Backspace', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/fp-recurse/perf.data'));
  const flame = page.getByTestId('flame-graph-canvas');
  await expect(flame).not.toHaveAttribute('data-nodes', '0');
  const everything = Number(await flame.getAttribute('data-total'));

  // The widest root is under the middle of the bottom row; hovering names it.
  const root = await rootRowPoint(page, 0.5);
  await page.mouse.move(root.x, root.y);
  const tooltip = page.locator('.chart-tooltip .tt-title');
  await expect(tooltip).toBeVisible();
  const rootName = (await tooltip.textContent())!;

  // Zoom into the node one row above the root.
  await page.mouse.click(root.x, root.y - 18);
  await expect(flame).not.toHaveAttribute('data-focus', '');
  const crumbs = page.getByTestId('breadcrumbs').locator('button');
  await expect(crumbs).toHaveCount(3);
  await expect(crumbs.nth(1)).toHaveText(rootName);
  expect(Number(await flame.getAttribute('data-total'))).toBeLessThanOrEqual(everything);
  await screenshot(page, 'flame-graph-zoomed-light');

  // Back to the root by its crumb, then all the way out with Backspace.
  await crumbs.nth(1).click();
  await expect(crumbs).toHaveCount(2);
  await page.keyboard.press('Backspace');
  await expect(crumbs).toHaveCount(1);
  await expect(flame).toHaveAttribute('data-focus', '');
  await expect(flame).toHaveAttribute('data-total', String(everything));
});

test('the flame graph search highlights matches and reports their share', async ({
  page,
  perfws,
}) => {
  const file = fixture('real/forkexec/perf.data');
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);
  const search = page.getByTestId('search-input');
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('spin_ms');
  const flame = page.getByTestId('flame-graph-canvas');
  const width = Number(await flame.getAttribute('data-width'));
  const expected = await oracle.matchTotal({}, 'spin_ms', width);
  expect(expected).toBeGreaterThan(0);
  await expect(flame).toHaveAttribute('data-match-total', String(expected));
  await expect(page.getByTestId('search-status')).toHaveText(/\d+(\.\d)? % matched/);
  await screenshot(page, 'flame-graph-search-light');

  // An invalid pattern is reported in place and never sent.
  await search.fill('spin_(');
  await expect(page.getByText('Invalid pattern')).toBeVisible();
  await expect(page.getByTestId('view-error')).toHaveCount(0);
});
