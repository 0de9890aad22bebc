import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, fixture, screenshot, test } from './support/served';

/** The boxes of the shown elements among `locator`'s, each with the start of its markup. */
async function shownBoxes(
  locator: Locator,
): Promise<{ what: string; left: number; right: number; top: number; bottom: number }[]> {
  return locator.evaluateAll((els) =>
    els
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return {
          what: e.outerHTML.slice(0, 60),
          left: r.left,
          right: r.right,
          top: r.top,
          bottom: r.bottom,
        };
      }),
  );
}

/** Every toolbar control lies inside the window and overlaps no other. */
async function expectToolbarReachable(page: Page): Promise<void> {
  const width = page.viewportSize()!.width;
  const boxes = await shownBoxes(
    page
      .getByTestId('app-toolbar')
      .locator(':scope > *:not(.spacer), :scope > .group > *, :scope > .brand > *'),
  );
  expect(boxes.length).toBeGreaterThan(6);
  for (const b of boxes) {
    expect(b.left, b.what).toBeGreaterThanOrEqual(0);
    expect(b.right, b.what).toBeLessThanOrEqual(width);
  }
  // siblings of one parent must not overlap (children lie inside their group)
  const toolbarChildren = await shownBoxes(
    page.getByTestId('app-toolbar').locator(':scope > *:not(.spacer)'),
  );
  for (let i = 0; i < toolbarChildren.length; i++) {
    for (let j = i + 1; j < toolbarChildren.length; j++) {
      const a = toolbarChildren[i]!;
      const b = toolbarChildren[j]!;
      const overlap =
        a.left < b.right - 0.5 &&
        b.left < a.right - 0.5 &&
        a.top < b.bottom - 0.5 &&
        b.top < a.bottom - 0.5;
      expect(overlap, `${a.what} overlaps ${b.what}`).toBe(false);
    }
  }
  // the controls the report found off-screen can be clicked
  await expect(page.getByTestId('theme-toggle')).toBeInViewport({ ratio: 1 });
  await expect(page.getByLabel('Keyboard shortcuts')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('export-folded')).toBeInViewport({ ratio: 1 });
}

test('at 1440x900 the toolbar is one line, even with a long event name', async ({
  page,
  perfws,
}) => {
  await perfws.open(page, fixture('real/tracepoint-sched/perf.data'));
  await expectToolbarReachable(page);
  const toolbar = await page.getByTestId('app-toolbar').boundingBox();
  expect(toolbar!.height).toBeLessThanOrEqual(43);
});

for (const size of [
  { width: 1000, height: 700 },
  { width: 900, height: 700 },
]) {
  test(`at ${size.width}x${size.height} every toolbar control is reachable and the main views draw`, async ({
    page,
    perfws,
  }) => {
    await page.setViewportSize(size);
    // two events and deferred callchains: the widest toolbar
    await perfws.open(page, fixture('deferred/multi-event-edge/perf.data'));
    await expect(page.getByTestId('event-select')).toBeVisible();
    await expectToolbarReachable(page);
    await page.getByLabel('Keyboard shortcuts').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    if (size.width !== 1000) return;
    for (const tab of [
      'flame-graph',
      'flame-chart',
      'samples',
      'top-functions',
      'call-tree',
      'summary',
    ]) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
      await page.waitForTimeout(300);
      await screenshot(page, `small-${tab}`);
    }
    // every column of top functions shows, none cut off behind a sideways scroll
    await page.getByTestId('tab-top-functions').click();
    const scroller = page.getByTestId('top-scroller');
    const fits = await scroller.evaluate((e) => e.scrollWidth <= e.clientWidth);
    expect(fits, 'the top functions table scrolls sideways').toBe(true);
    await expect(scroller.getByRole('columnheader', { name: 'Library' })).toBeInViewport({
      ratio: 1,
    });
  });
}

/** The offset of a file-mode recording's first SAMPLE record. */
function firstSampleOffset(bytes: Buffer): number {
  const start = Number(bytes.readBigUInt64LE(40));
  const end = start + Number(bytes.readBigUInt64LE(48));
  for (let p = start; p < end; p += bytes.readUInt16LE(p + 6)) {
    if (bytes.readUInt32LE(p) === 9) return p;
  }
  throw new Error('no sample');
}

/** fp-recurse cut at the byte `at` picks, as a new file. */
function cutRecording(at: (bytes: Buffer) => number): string {
  const bytes = readFileSync(fixture('real/fp-recurse/perf.data'));
  const cut = join(mkdtempSync(join(tmpdir(), 'perfws-e2e-cut-')), 'cut.data');
  writeFileSync(cut, bytes.subarray(0, at(bytes)));
  return cut;
}

test('a truncated recording says data is missing on every view, each warning once', async ({
  page,
  perfws,
}) => {
  await perfws.open(
    page,
    cutRecording(() => 30_000),
  );
  const banner = page.getByTestId('damage-banner');
  await expect(banner).toContainText('Data is missing: the file ends early, at byte 29,384');
  for (const tab of ['flame-graph', 'samples', 'call-tree']) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(banner).toBeVisible();
  }
  await screenshot(page, 'truncated-banner');
  await page.getByTestId('damage-details').click();
  await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-selected', 'true');
  const warnings = page.getByTestId('warnings').locator('tbody tr');
  const texts = await warnings.allInnerTexts();
  expect(texts.length).toBeGreaterThan(1);
  expect(new Set(texts).size).toBe(texts.length);
  await page.getByTestId('damage-dismiss').click();
  await expect(banner).toBeHidden();
});

test('a recording cut before its first sample says so instead of blaming the selection', async ({
  page,
  perfws,
}) => {
  let at = 0;
  await perfws.open(
    page,
    cutRecording((bytes) => (at = firstSampleOffset(bytes) + 16)),
  );
  const why = `The file ends at byte ${(at - 16).toLocaleString('en-US')}, before its first sample`;
  await page.getByTestId('tab-call-tree').click();
  await expect(page.getByTestId('empty-note')).toContainText(why);
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('empty-note')).toContainText(why);
  await page.getByTestId('tab-flame-graph').click();
  await expect(page.getByTestId('empty-note')).toContainText(why);
  await screenshot(page, 'truncated-no-samples');
});
