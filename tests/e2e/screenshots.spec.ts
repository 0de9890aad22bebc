import type { Page } from '@playwright/test';
import { expect, fixture, screenshot, test, useTheme } from './support/served';

/** Every main view, in both themes, as test artefacts (test-results/screenshots/). */
for (const theme of ['light', 'dark'] as const) {
  test(`every main view renders in the ${theme} theme`, async ({ page, perfws }) => {
    await perfws.open(page, fixture('deferred/forkexec-edge/perf.data'));
    await useTheme(page, theme);
    const settle = async (): Promise<void> => {
      await page.mouse.move(0, 0);
      await page.waitForTimeout(250);
    };
    const shot = async (name: string): Promise<void> => {
      await settle();
      await screenshot(page, `${name}-${theme}`);
    };

    await page.getByTestId('tab-summary').click();
    await expect(page.getByTestId('thread-samples-chart').locator('canvas')).toBeVisible();
    await shot('summary');

    await page.getByTestId('tab-flame-graph').click();
    await expect(page.getByTestId('flame-graph-canvas')).not.toHaveAttribute('data-nodes', '0');
    await hoverFlameRoot(page);
    await page.waitForTimeout(150);
    await screenshot(page, `flame-graph-${theme}`);

    await page.getByTestId('tab-flame-chart').click();
    await expect(page.getByTestId('flame-chart-canvas')).not.toHaveAttribute('data-boxes', '0');
    await shot('flame-chart');

    await page.getByTestId('tab-samples').click();
    await page.getByTestId('sample-row-2').click();
    await expect(page.getByTestId('callchain').locator('.frame').first()).toBeVisible();
    await shot('samples');

    await page.getByTestId('tab-top-functions').click();
    await page.getByTestId('top-row').first().click();
    await expect(page.getByTestId('callers').locator('.node').first()).toBeVisible();
    await shot('top-functions');

    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await shot('help');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toBeHidden();
  });
}

async function hoverFlameRoot(page: Page): Promise<void> {
  const box = (await page.getByTestId('flame-graph-canvas').locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height - 9 - 18 * 3);
}
