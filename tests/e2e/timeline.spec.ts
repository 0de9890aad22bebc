import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';
import { SessionOracle } from './support/oracle';
import { paintedPixels } from './support/pixels';

test('the timeline draws every thread, and a drag selection filters the flame graph and the sample list', async ({
  page,
  perfws,
}) => {
  const file = fixture('deferred/forkexec-edge/perf.data');
  const symbols = fixtureSymbols();
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);

  const threads = (await oracle.threads()).filter((t) => t.samples > 0);
  for (const t of threads) {
    const canvas = page.locator(`[data-thread-index="${t.index}"]`).locator('canvas');
    await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(50);
  }

  const flame = page.getByTestId('flame-graph-canvas');
  const everything = await oracle.flameTotal({});
  await expect(flame).toHaveAttribute('data-total', String(everything));

  // Drag across the middle third of the busiest thread's track.
  const busiest = threads.sort((a, b) => b.samples - a.samples)[0]!;
  const canvas = page.locator(`[data-thread-index="${busiest.index}"]`).locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.33, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.66, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();

  const chip = page.getByTestId('selection-chip');
  await expect(chip).toBeVisible();
  const range = {
    start: Number(await chip.getAttribute('data-start')),
    end: Number(await chip.getAttribute('data-end')),
  };
  const selected = await oracle.flameTotal({ range });
  expect(selected).toBeLessThan(everything);
  expect(selected).toBeGreaterThan(0);
  await expect(flame).toHaveAttribute('data-total', String(selected));
  await screenshot(page, 'timeline-selection-light');

  // The sample list of the selected thread shows only the samples in the range.
  await page.locator(`[data-thread-index="${busiest.index}"]`).locator('.label-col').click();
  await page.getByTestId('tab-samples').click();
  const inRange = await oracle.sampleCount(busiest.index, { range });
  expect(inRange).toBeLessThan(busiest.samples);
  await expect(page.getByTestId('sample-count')).toHaveText(
    `${inRange.toLocaleString('en-US')} ${inRange === 1 ? 'sample' : 'samples'} in the selection`,
  );

  // Esc clears the selection: everything again.
  await page.keyboard.press('Escape');
  await expect(chip).toBeHidden();
  await expect(page.getByTestId('sample-count')).toHaveText(
    `${busiest.samples.toLocaleString('en-US')} samples`,
  );
});

test('the timeline zooms with Ctrl+wheel and the keyboard, and pans with Shift+wheel', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/forkexec/perf.data'));
  const label = page.getByTestId('timeline-view');
  const whole = await label.textContent();
  const canvas = page.getByTestId('tracks').locator('canvas').first();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect(label).not.toHaveText(whole!);
  const zoomed = await label.textContent();
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Shift');
  await expect(label).not.toHaveText(zoomed!);
  await expect(page.getByTestId('zoom-reset')).toBeEnabled();
  await page.keyboard.press('0');
  await expect(label).toHaveText(whole!);
  await page.keyboard.press('+');
  await expect(label).not.toHaveText(whole!);
});
