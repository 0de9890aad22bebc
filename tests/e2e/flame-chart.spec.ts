import { expect, fixture, test } from './support/served';

test('the flame chart lines up with the timeline and shares its time viewport', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/forkexec/perf.data'));
  await page.getByTestId('tab-flame-chart').click();
  const chart = page.getByTestId('flame-chart-canvas');
  await expect(chart).not.toHaveAttribute('data-boxes', '0');

  // The chart's time axis spans exactly the timeline's graph column.
  const timelineAxis = (await page
    .getByTestId('timeline')
    .locator('canvas.axis-canvas')
    .boundingBox())!;
  const chartAxis = (await page.getByTestId('flame-chart').locator('canvas.axis').boundingBox())!;
  expect(chartAxis.x).toBeCloseTo(timelineAxis.x, 0);
  expect(chartAxis.width).toBeCloseTo(timelineAxis.width, 0);
  const canvas = (await chart.boundingBox())!;
  expect(canvas.x).toBeCloseTo(timelineAxis.x, 0);

  // Ctrl+wheel over the chart zooms the timeline too.
  const label = page.getByTestId('timeline-view');
  const whole = await label.textContent();
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 5);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect(label).not.toHaveText(whole!);
  await expect(page.getByTestId('zoom-reset')).toBeEnabled();

  // Shift+wheel in the chart pans the timeline; the timeline's keys move the chart.
  const zoomed = await label.textContent();
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Shift');
  await expect(label).not.toHaveText(zoomed!);
  await page.keyboard.press('0');
  await expect(label).toHaveText(whole!);

  // A click on the root box zooms the shared view into it; the first breadcrumb goes back.
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + 5);
  await expect(label).not.toHaveText(whole!);
  const crumbs = page.getByTestId('breadcrumbs').locator('button');
  await expect(crumbs).toHaveCount(2);
  await crumbs.first().click();
  await expect(label).toHaveText(whole!);
});
