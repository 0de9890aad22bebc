import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';
import { SessionOracle } from './support/oracle';

test('the sample list scrolls to its last sample and expands a callchain with kernel and user parts', async ({
  page,
  perfws,
}) => {
  const file = fixture('real/fp-recurse/perf.data');
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(file, symbols);
  const busiest = (await oracle.threads()).sort((a, b) => b.samples - a.samples)[0]!;
  await perfws.open(page, file, symbols);
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('sample-count')).toHaveText(
    `${busiest.samples.toLocaleString('en-US')} samples`,
  );

  // Scroll to the end: the last sample is fetched and shown.
  const scroller = page.getByTestId('sample-scroller');
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.getByTestId(`sample-row-${busiest.samples - 1}`);
  await expect(last).toBeVisible();
  await expect(last).not.toContainText('…');

  // Back to the top, expand the first sample whose callchain enters the kernel.
  await scroller.evaluate((el) => (el.scrollTop = 0));
  const first = page.getByTestId('sample-row-0');
  await expect(first).toBeVisible();
  await first.click();
  const chain = page.getByTestId('callchain').first();
  await expect(chain.locator('.frame').first()).toBeVisible();
  await expect(chain.locator('[data-kind="user"]').first()).toBeVisible();
  await expect(first).toHaveClass(/marked/);

  // Keyboard: move down, expand with Enter.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('callchain')).toHaveCount(2);
  const kernelRow = page.locator('[data-testid^="sample-row-"]', { hasText: 'kallsyms' }).first();
  if (await kernelRow.count()) {
    await kernelRow.click();
    await expect(
      page.locator('[data-testid="callchain"] .group[data-kind="kernel"]').first(),
    ).toBeVisible();
  }
  await screenshot(page, 'samples-light');
});
