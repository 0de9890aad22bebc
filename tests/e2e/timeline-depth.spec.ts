import type { Page } from '@playwright/test';
import { expect, fixture, fixtureSymbols, screenshot, test } from './support/served';
import { SessionOracle } from './support/oracle';
import { paintedPixels } from './support/pixels';

/**
 * Issue 13 in the browser: per-CPU tracks on a system-wide recording, off-CPU time (the width
 * choice and the stretches on thread tracks) on a switch-events recording, the marker lane,
 * and the stack under the cursor. What the UI shows is checked against the session's answers
 * computed in the test process (SessionOracle).
 */

/** A recording of the timeline corpus, with its own boot's kallsyms where it has them. */
function recording(name: string) {
  const file = fixture(`real/${name}/perf.data`);
  const symbols = fixtureSymbols();
  if (name === 'offcpu-wide' || name === 'sched-switch-wide' || name === 'lost-forks') {
    symbols.kallsyms = fixture(`real/${name}/kallsyms`);
  }
  return { file, symbols };
}

const flameTotal = (page: Page) =>
  page
    .getByTestId('flame-graph-canvas')
    .getAttribute('data-total')
    .then((t) => Number(t));

test('per-CPU tracks on a system-wide recording; clicking one filters every view to that CPU', async ({
  page,
  perfws,
}) => {
  const { file, symbols } = recording('offcpu-wide');
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);
  const group = page.getByTestId('cpu-tracks');
  await expect(group).toBeVisible();
  for (const cpu of [0, 1]) {
    const canvas = page.getByTestId(`cpu-track-${cpu}`).locator('canvas');
    await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(20);
  }
  await screenshot(page, 'timeline-cpu-tracks-light');

  const everything = await oracle.flameTotal({});
  await expect.poll(() => flameTotal(page)).toBe(everything);
  await page.getByTestId('cpu-track-1').locator('canvas').click();
  const chip = page.getByTestId('cpu-filter-chip');
  await expect(chip).toHaveText(/CPU 1/);
  const onCpu1 = await oracle.flameTotal({ cpus: [1] });
  expect(onCpu1).toBeLessThan(everything);
  expect(onCpu1).toBeGreaterThan(0);
  await expect.poll(() => flameTotal(page)).toBe(onCpu1);
  await screenshot(page, 'timeline-cpu-filter-light');
  await chip.getByRole('button').click();
  await expect(chip).toBeHidden();
  await expect.poll(() => flameTotal(page)).toBe(everything);
});

test('off-CPU time: the width choice in the flame graph and call tree, stretches on the tracks, totals in the summary', async ({
  page,
  perfws,
}) => {
  const { file, symbols } = recording('switch-events');
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);

  // stretches: every thread with off-CPU intervals has some drawn on its track
  const threads = (await oracle.threads()).filter((t) => t.switches && t.switches.offCpu > 0);
  expect(threads.length).toBeGreaterThanOrEqual(5);
  for (const t of threads) {
    await expect
      .poll(async () =>
        Number(await page.locator(`[data-thread-index="${t.index}"]`).getAttribute('data-off-cpu')),
      )
      .toBeGreaterThan(0);
  }
  await screenshot(page, 'timeline-off-cpu-light');

  await page.getByTestId('tab-flame-graph').click();
  await page.getByTestId('weight-select').first().selectOption('off-cpu');
  const offCpu = await oracle.flameTotalWeighted({}, 'off-cpu');
  expect(offCpu).toBeGreaterThan(1e8);
  await expect.poll(() => flameTotal(page)).toBe(offCpu);
  await screenshot(page, 'flame-graph-off-cpu-light');

  await page.getByTestId('tab-call-tree').click();
  await expect(page.getByTestId('weight-select')).toHaveValue('off-cpu');

  await page.getByTestId('tab-summary').click();
  const rows = page.getByTestId('summary-off-cpu-row');
  await expect(rows).toHaveCount(threads.length);
  const shown = await page
    .getByTestId('summary-off-cpu-total')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.ns)));
  expect(shown.sort()).toEqual(threads.map((t) => t.switches!.offCpu).sort());
  await expect(page.getByTestId('summary-off-cpu-stacks')).toContainText('last sample');
  await screenshot(page, 'summary-off-cpu-light');
});

test('the marker lane: kinds, hover details, a click selects the range around a marker', async ({
  page,
  perfws,
}) => {
  const { file, symbols } = recording('dlopen');
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);
  const lane = page.getByTestId('marker-lane');
  const canvas = lane.locator('canvas');
  await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(10);
  await expect(lane).toHaveAttribute('data-kinds', /mmap/);

  // the second dlopen of libplugin.so, where the lane draws it
  const all = await oracle.markers({}, 100);
  const plugin = all.rows.filter((r) => r.kind === 'mmap' && r.detail.endsWith('libplugin.so'));
  expect(plugin.length).toBe(2);
  const duration = (await oracle.threads()).reduce((m, t) => Math.max(m, t.lastSample), 0) + 1;
  const box = (await canvas.boundingBox())!;
  const kinds = (await lane.getAttribute('data-kinds'))!.split(',');
  const y = box.y + (kinds.indexOf('mmap') + 0.5) * 9;
  const x = box.x + (plugin[1]!.time / duration) * box.width;
  await page.mouse.move(x, y);
  const tip = page.getByTestId('timeline-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('libplugin.so');
  await screenshot(page, 'timeline-marker-lane-light');
  await page.mouse.click(x, y);
  const chip = page.getByTestId('selection-chip');
  await expect(chip).toBeVisible();
  const start = Number(await chip.getAttribute('data-start'));
  const end = Number(await chip.getAttribute('data-end'));
  expect(start).toBeLessThan(plugin[1]!.time);
  expect(end).toBeGreaterThan(plugin[1]!.time);

  // filtering by kind: without mmap, the lane has no mmap row
  await page.getByTestId('marker-kinds').click();
  await page.getByTestId('marker-kind-mmap').uncheck();
  await expect(lane).not.toHaveAttribute('data-kinds', /mmap/);
});

test('thread renames are marked on their tracks', async ({ page, perfws }) => {
  const { file, symbols } = recording('taskclock-fixed-threads');
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);
  const renamed = (await oracle.markers({}, 100)).rows.filter(
    (r) => r.kind === 'comm' && r.thread >= 0,
  );
  expect(renamed.length).toBeGreaterThanOrEqual(4);
  for (const r of renamed) {
    await expect
      .poll(async () =>
        Number(
          await page.locator(`[data-thread-index="${r.thread}"]`).getAttribute('data-renames'),
        ),
      )
      .toBeGreaterThanOrEqual(1);
  }
});

test('hovering a track shows the nearest sample’s stack; a click selects it in the sample list', async ({
  page,
  perfws,
}) => {
  const { file, symbols } = recording('switch-events');
  const oracle = await SessionOracle.open(file, symbols);
  await perfws.open(page, file, symbols);
  const busiest = (await oracle.threads()).sort((a, b) => b.samples - a.samples)[0]!;
  const track = page.locator(`[data-thread-index="${busiest.index}"]`);
  const box = (await track.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  const tip = page.getByTestId('timeline-tooltip');
  await expect(tip).toBeVisible();
  const time = Number(await tip.getAttribute('data-hover-time'));
  const hit = (await oracle.sampleAt(busiest.index, time))!;
  expect(hit).not.toBeNull();
  for (const f of hit.frames.slice(0, 3)) await expect(tip).toContainText(f.name);
  await expect(tip).toContainText(`sample at ${(hit.time / 1e9).toFixed(6)} s`);
  await screenshot(page, 'timeline-hover-stack-light');

  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height / 2);
  await page.getByTestId('tab-samples').click();
  const active = page.locator('.sample.active');
  await expect(active).toBeVisible();
  await expect(active).toContainText((hit.time / 1e9).toFixed(6));
});
