import { expect, fixture, screenshot, test } from './support/served';

test('track counts follow the selected event, and the Event box agrees with them', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('deferred/multi-event-edge/perf.data'));
  const select = page.getByTestId('event-select');
  const counts = page.locator('[data-testid="tracks"] .track.thread .count');
  for (const label of ['task-clock (800)', 'cpu-clock (800)']) {
    await select.selectOption({ label });
    await expect(async () => {
      const values = (await counts.allTextContents()).map((c) => Number(c.replace(/,/g, '')));
      expect(values.reduce((a, b) => a + b, 0)).toBe(800);
    }).toPass();
  }
  // the thread picker of the sample list counts the same event
  await page.getByTestId('tab-samples').click();
  const picked = await page.getByTestId('thread-picker').locator('option:checked').textContent();
  const total = (await page.getByTestId('sample-count').textContent())!.trim();
  expect(picked).toContain(`· ${total}`);
});

test('the unmerged badge lists that thread’s unmerged samples', async ({ page, perfws }) => {
  await perfws.open(page, fixture('deferred/multi-event-edge/perf.data'));
  await page.getByTestId('event-select').selectOption({ label: 'cpu-clock (800)' });
  const badge = page.getByTestId('unmerged-badge').first();
  await expect(badge).toHaveText('1 unmerged');
  await badge.click();
  await expect(page.getByTestId('tab-samples')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('sample-count')).toHaveText('1 unmerged sample');
  await expect(
    page.getByTestId('merge-status-filter').getByRole('button', { name: 'Unmerged' }),
  ).toHaveAttribute('aria-pressed', 'true');
});

test('at 1000x700 track labels keep the name readable and the counts whole; the column resizes', async ({
  page,
  perfws,
}) => {
  await page.setViewportSize({ width: 1000, height: 700 });
  await perfws.open(page, fixture('deferred/multi-event-edge/perf.data'));
  await page.getByTestId('event-select').selectOption({ label: 'cpu-clock (800)' });
  const resizer = page.getByTestId('label-resizer');
  // narrow the column to its minimum: the counts and badges still show whole
  const box = (await resizer.boundingBox())!;
  await page.mouse.move(box.x + 3, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x - 300, box.y + 40, { steps: 4 });
  await page.mouse.up();
  const label = page.getByTestId('thread-label').first();
  expect((await label.boundingBox())!.width).toBeLessThan(200);
  for (const l of await page.getByTestId('thread-label').all()) {
    // nothing runs past the column, and the counts are whole
    const fits = await l.evaluate((el) => {
      const right = el.getBoundingClientRect().right;
      const count = el.querySelector('.count')!;
      return (
        count.getBoundingClientRect().right <= right &&
        count.scrollWidth <= count.clientWidth + 1 &&
        el.scrollWidth <= el.clientWidth + 1
      );
    });
    expect(fits).toBe(true);
    const nameWidth = await l.locator('.tname').evaluate((e) => e.clientWidth);
    expect(nameWidth).toBeGreaterThanOrEqual(47);
  }
  await screenshot(page, 'timeline-narrow-labels');
  // and wider again
  const now = (await resizer.boundingBox())!;
  await page.mouse.move(now.x + 3, now.y + 40);
  await page.mouse.down();
  await page.mouse.move(now.x + 203, now.y + 40, { steps: 4 });
  await page.mouse.up();
  expect((await label.boundingBox())!.width).toBeGreaterThan(300);
});

test('a renamed thread names every name it had in its label tooltip', async ({ page, perfws }) => {
  await perfws.open(page, fixture('real/forkexec/perf.data'));
  const titles = await page
    .getByTestId('thread-label')
    .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  expect(titles.some((t) => /named in turn \S+ → \S+/.test(t))).toBe(true);
});
