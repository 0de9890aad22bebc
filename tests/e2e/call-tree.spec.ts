import type { Page } from '@playwright/test';
import type { Filters } from '../../src/shared/contract';
import { SessionOracle } from './support/oracle';
import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';

/** fp-recurse: main calls recurse_a and recurse_b, which call each other, and fib. */
const FILE = fixture('real/fp-recurse/perf.data');

const rows = (page: Page) => page.getByTestId('tree-row');
const rowNamed = (page: Page, name: string) =>
  page.locator(`[data-testid="tree-row"][data-name="${name}"]`);
const flameTotal = async (page: Page): Promise<number> => {
  await page.keyboard.press('2');
  const flame = page.getByTestId('flame-graph-canvas');
  await expect(flame).not.toHaveAttribute('data-nodes', '0');
  return Number(await flame.getAttribute('data-total'));
};

/**
 * Opens the function menu on the first row named `name`, and checks it is that function's: rows
 * are reused as the tree re-renders (keyed by position), so a row that changed function between
 * being found and being clicked is clicked again.
 */
async function openMenuOn(page: Page, name: string): Promise<void> {
  const menu = page.getByTestId('context-menu');
  await expect(async () => {
    if (await menu.isVisible()) await page.keyboard.press('Escape');
    await rowNamed(page, name).first().click({ button: 'right' });
    await expect(menu.locator('.title')).toHaveText(name, { timeout: 1000 });
  }).toPass();
}

async function openCallTree(page: Page): Promise<void> {
  await page.keyboard.press('6');
  await expect(page.getByTestId('call-tree')).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
}

test('the call tree and its inverted mode on a real recording', async ({ page, perfws }) => {
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(FILE, symbols);
  await perfws.open(page, FILE, symbols);
  await openCallTree(page);

  const topDown = await oracle.callTreeRoots({});
  await expect(rows(page)).toHaveCount(topDown.length);
  await expect(rows(page).first()).toHaveAttribute('data-name', topDown[0]!.name);
  const scroller = page.getByTestId('call-tree-scroller');
  await expect(scroller).toHaveAttribute(
    'data-total',
    String(topDown.reduce((s, r) => s + r.total, 0)),
  );

  // Keyboard: select the first root, expand it, then the hottest path below it.
  await scroller.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('call-node-name')).toHaveText(topDown[0]!.name);
  await page.keyboard.press('ArrowRight');
  await expect(rowNamed(page, 'main')).toHaveCount(1);
  await page.keyboard.press('*');
  await expect(rowNamed(page, 'recurse_b').first()).toBeVisible();
  expect(await rows(page).count()).toBeGreaterThan(10);
  await page.keyboard.press('ArrowLeft');
  await expect(rows(page)).toHaveCount(topDown.length);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('call-node-status')).toContainText('classic');
  await screenshot(page, 'call-tree-light');

  // Inverted: the roots are the functions where the time was spent.
  await page.getByTestId('tree-inverted').click();
  const inverted = await oracle.callTreeRoots({}, true);
  await expect(rows(page)).toHaveCount(inverted.length);
  await expect(rows(page).first()).toHaveAttribute('data-name', inverted[0]!.name);
  expect(inverted.map((r) => r.name)).not.toContain('main');
  await rows(page).first().click();
  await page.keyboard.press('*');
  await expect(rowNamed(page, 'main').first()).toBeVisible();
  await screenshot(page, 'call-tree-inverted-light');
});

test('a transform applied from the context menu changes every view; the breadcrumb removes it', async ({
  page,
  perfws,
}) => {
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(FILE, symbols);
  await perfws.open(page, FILE, symbols);
  const everything = await flameTotal(page);
  await openCallTree(page);
  await rows(page).first().click();
  await page.keyboard.press('*');
  await expect(rowNamed(page, 'recurse_b').first()).toBeVisible();

  // Merge recurse_b: its frames go, its samples stay.
  await openMenuOn(page, 'recurse_b');
  const menu = page.getByTestId('context-menu');
  await menu.getByRole('menuitem', { name: 'Merge function' }).click();
  await expect(menu).toBeHidden();
  const bar = page.getByTestId('transform-bar');
  await expect(bar).toContainText('Merge: recurse_b');
  await expect(rowNamed(page, 'recurse_b')).toHaveCount(0);
  await expect(rowNamed(page, 'recurse_a').first()).toBeVisible();

  // Then drop the samples through fib: every view loses them.
  await rowNamed(page, 'main').first().click();
  await page.keyboard.press('*');
  await expect(rowNamed(page, 'fib').first()).toBeVisible();
  await openMenuOn(page, 'fib');
  await menu.getByRole('menuitem', { name: 'Drop samples with this function' }).click();
  await expect(page.getByTestId('transform-step')).toHaveCount(2);
  await expect(rowNamed(page, 'fib')).toHaveCount(0);
  const filters: Filters = {
    transforms: [
      { kind: 'merge-function', name: 'recurse_b' },
      { kind: 'drop-function', name: 'fib' },
    ],
  };
  const dropped = await oracle.flameTotal(filters);
  expect(dropped).toBeLessThan(everything);
  await screenshot(page, 'transforms-call-tree-light');
  expect(await flameTotal(page)).toBe(dropped);
  await screenshot(page, 'transforms-flame-graph-light');

  // Removing the first step removes the one after it too.
  await page.getByTestId('transform-remove').first().click();
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('flame-graph-canvas')).toHaveAttribute(
    'data-total',
    String(everything),
  );
});

test('a reload restores the view from the URL; Reset view returns to the defaults', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, FILE);
  await openCallTree(page);
  await page.getByTestId('tree-inverted').click();
  await openMenuOn(page, 'fib');
  await page.getByRole('menuitem', { name: 'Focus on function' }).click();
  await expect(page.getByTestId('transform-bar')).toContainText('Focus: fib');
  await expect(page).toHaveURL(/#view=.*focus-function/);

  await page.reload();
  await expect(page.getByTestId('call-tree')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('tree-inverted')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('transform-bar')).toContainText('Focus: fib');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-name', 'fib');

  await page.keyboard.press('r');
  await expect(page.getByTestId('flame-graph')).toBeVisible();
  await expect(page.getByTestId('transform-bar')).toBeHidden();
  await page.keyboard.press('6');
  await expect(page.getByTestId('tree-inverted')).toHaveAttribute('aria-pressed', 'false');
});

test('search lists the matching functions; Enter jumps to one; the flame graph and timeline show the selected node', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, FILE);
  await openCallTree(page);
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type('recurse_');
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(2);
  await expect(results.first()).toContainText(/recurse_[ab].*%/);
  await screenshot(page, 'search-results-light');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = (await results.nth(1).locator('.name').textContent())!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('search-results')).toBeHidden();
  await expect(page.getByTestId('call-node-name')).toHaveText(second);
  await expect(page.locator('[data-testid="tree-row"][aria-selected="true"]')).toHaveAttribute(
    'data-name',
    second,
  );

  // Its samples are marked on the timeline: the CPU time they cover is the node's total.
  const total = Number(await page.getByTestId('call-node-total').getAttribute('data-total'));
  expect(total).toBeGreaterThan(0);
  await expect(page.getByTestId('tracks')).toHaveAttribute('data-marked-samples', String(total));

  // The flame graph outlines the same node.
  await page.keyboard.press('2');
  const flame = page.getByTestId('flame-graph-canvas');
  await expect(flame).not.toHaveAttribute('data-nodes', '0');
  await expect(flame).not.toHaveAttribute('data-selected', '-1');
  await screenshot(page, 'flame-graph-selected-node-light');
});
