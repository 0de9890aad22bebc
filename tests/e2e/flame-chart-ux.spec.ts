import { expect, fixture, screenshot, test } from './support/served';

test('flame chart breadcrumbs name the function each zoom went into', async ({ page, perfws }) => {
  await perfws.open(page, fixture('real/forkexec/perf.data'));
  await page.getByTestId('tab-flame-chart').click();
  const chart = page.getByTestId('flame-chart-canvas');
  await expect(chart).not.toHaveAttribute('data-boxes', '0');
  const canvas = (await chart.boundingBox())!;
  // the root box, at depth 0
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 5);
  const hovered = (await page.locator('.chart-tooltip:not([hidden])').first().textContent()) ?? '';
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + 5);
  const crumbs = page.getByTestId('breadcrumbs').locator('button');
  await expect(crumbs).toHaveCount(2);
  const last = (await crumbs.last().textContent())!.trim();
  expect(last).not.toMatch(/^[\d.]+ (ns|µs|ms|s)$/);
  expect(hovered).toContain(last);
  await expect(crumbs.first()).toHaveText(/^[\d.]+ (ns|µs|ms|s)$/);
});

test('a thread without samples in the selection gets a message, not a blank chart', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/tracepoint-sched/perf.data'));
  const select = page.getByTestId('event-select');
  const option = select.locator('option', { hasText: 'sched:sched_switch' });
  await select.selectOption({ label: (await option.textContent())!.trim() });
  await page.getByTestId('track-28602').locator('.label-col').click();
  // select 130 ms – 165 ms of the 237 ms shown: forkexec 28602 switched at 120 ms and 171 ms
  const graph = (await page.getByTestId('track-28602').locator('canvas').boundingBox())!;
  const view = (await page.getByTestId('timeline-view').textContent())!;
  const span = Number(/– ([\d.]+) ms/.exec(view)![1]);
  const x = (ms: number) => graph.x + (graph.width * ms) / span;
  await page.mouse.move(x(130), graph.y + graph.height / 2);
  await page.mouse.down();
  await page.mouse.move(x(165), graph.y + graph.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('selection-chip')).toBeVisible();
  await page.getByTestId('tab-flame-chart').click();
  await expect(page.getByTestId('empty-note')).toHaveText(
    'No samples of sched:sched_switch in the selected time range.',
  );
  await screenshot(page, 'flame-chart-empty-selection');
});
