import type { Page } from '@playwright/test';
import { expect, fixture, screenshot, test } from './support/served';

/** The gaps (px) between consecutive rows of the sample list: 0 when the list is laid out right. */
async function rowGaps(page: Page): Promise<number[]> {
  return page.getByTestId('sample-scroller').evaluate((list) => {
    const items = [...list.querySelectorAll<HTMLElement>('.item')]
      .map((e) => e.getBoundingClientRect())
      .sort((a, b) => a.top - b.top);
    const gaps: number[] = [];
    for (let i = 1; i < items.length; i++)
      gaps.push(Math.round(items[i]!.top - items[i - 1]!.bottom));
    return gaps;
  });
}

for (const rec of [
  'real/fp-recurse',
  'deferred/multi-event-edge',
  'real/dwarf-recurse',
  'real/tracepoint-sched',
]) {
  test(`at 1000x700, expanding row 0 with Enter leaves no empty band between rows (${rec})`, async ({
    page,
    perfws,
  }) => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await perfws.open(page, fixture(`${rec}/perf.data`));
    await page.getByTestId('tab-samples').click();
    await expect(page.getByTestId('sample-row-0')).toBeVisible();
    await page.getByTestId('sample-scroller').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('callchain').locator('.frame').first()).toBeVisible();
    await page.waitForTimeout(300);
    await screenshot(page, `sample-expanded-small-${rec.replace('/', '-')}`);
    expect(await rowGaps(page)).toEqual((await rowGaps(page)).map(() => 0));
  });
}

test('the sample list filters by merge status', async ({ page, perfws }) => {
  await perfws.open(page, fixture('deferred/multi-event-edge/perf.data'));
  // wk-hash's one unmerged sample is a cpu-clock sample
  await page.getByTestId('event-select').selectOption({ label: 'cpu-clock (800)' });
  await page.getByTestId('tab-samples').click();
  const filter = page.getByTestId('merge-status-filter');
  await filter.getByRole('button', { name: 'Unmerged' }).click();
  await expect(page.getByTestId('sample-count')).toHaveText('1 unmerged sample');
  await expect(page.getByTestId('sample-row-0').locator('.badge')).toHaveText(/^unmerged/);
  await expect(page.getByTestId('sample-row-1')).toHaveCount(0);
  await filter.getByRole('button', { name: 'Classic' }).click();
  await expect(page.getByTestId('sample-count')).toHaveText(/^\d+ classic samples$/);
  await filter.getByRole('button', { name: 'All' }).click();
  await expect(page.getByTestId('sample-count')).toHaveText(/^\d+ samples$/);
});

test('tracepoint samples show their payload and their whole event name', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/tracepoint-sched/perf.data'));
  const select = page.getByTestId('event-select');
  const switchOption = select.locator('option', { hasText: 'sched:sched_switch' });
  await select.selectOption({ label: (await switchOption.textContent())!.trim() });
  await page.getByTestId('tab-samples').click();
  const row = page.getByTestId('sample-row-0');
  await expect(row.locator('.c-trace')).toContainText(
    /^prev_comm=\S+ prev_pid=\d+ .* ==> next_comm=/,
  );
  const event = row.locator('.c-event');
  await expect(event).toHaveText('sched:sched_switch');
  expect(await event.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await row.click();
  await expect(page.getByTestId('sample-trace')).toContainText('sched:sched_switch: prev_comm=');
  await screenshot(page, 'samples-tracepoint');
});
