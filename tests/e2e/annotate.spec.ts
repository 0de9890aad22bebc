import type { Page } from '@playwright/test';
import { expect, fixture, fixtureSymbols, screenshot, test, useTheme } from './support/served';

/** The real fixtures, with their workloads' sources findable (by base name) for the source pane. */
const symbols = () => ({ ...fixtureSymbols(), sourcePath: fixture('real/workloads') });

async function annotateFromTopFunctions(page: Page, name: string): Promise<void> {
  await page.getByTestId('tab-top-functions').click();
  await page.getByTestId('top-row').filter({ hasText: name }).first().click();
  await page.getByTestId('annotate-function').click();
  await expect(page.getByTestId('annotate-name')).toHaveText(name);
}

for (const theme of ['light', 'dark'] as const) {
  test(`annotate a hot function: heat, jump arrows, source pane (${theme})`, async ({
    page,
    perfws,
  }) => {
    await perfws.open(page, fixture('real/fp-recurse/perf.data'), symbols());
    await useTheme(page, theme);
    await annotateFromTopFunctions(page, 'leaf_work');

    // perf annotate: 99.72 % at 1189 (351 of 352 samples), 0.28 % at 118c
    const hot = page.getByTestId('ins-1189');
    await expect(hot.locator('.c-pct')).toHaveText('99.7 %');
    await expect(hot.locator('.c-samples')).toHaveText('351');
    await expect(page.getByTestId('ins-118c').locator('.c-samples')).toHaveText('1');
    await expect(page.getByTestId('annotate-total')).toContainText('352 samples');
    // the hottest instruction starts selected, and is heat-coloured
    await expect(hot).toHaveClass(/selected/);
    const heat = await hot.locator('.c-pct').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(heat).toMatch(/^rgba\(235, 87, 35, 0\.7\d+\)$/);

    // the loop's jump: an arrow from 118f back to 1185, and clicking it goes there
    const arrow = page.getByTestId('jump-arrow');
    await expect(arrow).toHaveCount(1);
    await arrow.locator('rect').click();
    await expect(page.getByTestId('ins-1185')).toHaveClass(/selected/);
    await page.getByTestId('ins-118f').getByTestId('jump-go').click();
    await expect(page.getByTestId('ins-1185')).toHaveClass(/selected/);

    // the source pane: recurse.c and the inlined common.h (lcg), lines with their totals
    const source = page.getByTestId('annotate-source');
    await expect(source).toContainText('/tmp/perfreal/src/recurse.c');
    await expect(source).toContainText('/tmp/perfreal/src/common.h');
    await expect(source.locator('.src-line.hit').first()).toBeVisible();
    await expect(page.getByTestId('ins-1185').locator('.c-src')).toHaveText('common.h:17');
    // picking the instruction focuses its source line, picking a line selects its instructions
    await expect(source.locator('.src-line.focus .l-no')).toHaveText('17');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(200);
    await screenshot(page, `annotate-${theme}`);
  });
}

test('a C++ template instantiation: lanes of jump arrows, inlined library code', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/cxx-demangle/perf.data'), symbols());
  await useTheme(page, 'light');
  await page.getByTestId('tab-top-functions').click();
  await page.getByTestId('top-row').filter({ hasText: 'std::__introsort_loop' }).first().click();
  await page.getByTestId('annotate-function').click();
  await expect(page.getByTestId('annotate-name')).toContainText('std::__introsort_loop<');
  // perf annotate (oracle introsort_loop.txt) has 543 samples in it
  await expect(page.getByTestId('annotate-total')).toContainText('543 samples');
  expect(await page.getByTestId('jump-arrow').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('annotate-source')).toContainText('cxx_templates.cpp');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  await screenshot(page, 'annotate-cxx-light');
});

test('annotate from the flame graph: the zoomed-in function', async ({ page, perfws }) => {
  await perfws.open(page, fixture('real/fp-recurse/perf.data'), symbols());
  await page.getByTestId('tab-flame-graph').click();
  const canvas = page.getByTestId('flame-graph-canvas');
  await expect(canvas).not.toHaveAttribute('data-nodes', '0');
  await expect(page.getByTestId('flame-annotate')).toHaveCount(0);
  const box = (await canvas.locator('canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height - 9 - 18 * 4);
  await expect(canvas).not.toHaveAttribute('data-focus', '');
  const crumb = await page.locator('.crumb').last().innerText();
  await page.getByTestId('flame-annotate').click();
  await expect(page.getByTestId('annotate-name')).toHaveText(crumb.trim());
  await expect(page.getByTestId('annotate-rows').locator('.ins').first()).toBeVisible();
});

test('kernel functions say why they have no disassembly', async ({ page, perfws }) => {
  await perfws.open(page, fixture('real/fp-recurse/perf.data'), symbols());
  await annotateFromTopFunctions(page, '__get_user_8');
  await expect(page.getByTestId('annotate-unavailable')).toContainText('vmlinux');
});
