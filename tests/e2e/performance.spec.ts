import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { saveFigures, watchMarks } from './support/figures';
import { expect, screenshot, test } from './support/served';

/**
 * Performance acceptance on the benchmark recording (about 440 MB, 1.5 M samples), in the served mode:
 * interactive within 1 s of the load finishing, timeline pan/zoom and flame graph zoom redrawn
 * within 50 ms, the annotate view of the hottest function within 300 ms (objdump included), the
 * renderer under 300 MB. The figures go to test-results/performance.json.
 */
const BIG = process.env.PERFWS_BENCH_FILE ?? '/tmp/perfbench/big.data';
const BUDGET_INTERACTIVE_MS = 1000;
const BUDGET_REDRAW_MS = 50;
const BUDGET_RENDERER_MB = 300;
const BUDGET_ANNOTATE_MS = 300;

type Figures = Record<string, number | string | number[]>;

test.skip(
  !existsSync(BIG),
  `the benchmark recording ${BIG} is missing (scripts/bench/record-big.sh records it; PERFWS_BENCH_FILE points elsewhere)`,
);

/**
 * Runs `action` in the page, then waits for marks named `name`: how long until the first one
 * after the input, and until the first one whose detail satisfies `done`.
 */
async function timeToMarks(
  page: Page,
  action: string,
  name: string,
  done: string,
): Promise<{ first: number; done: number }> {
  return page.evaluate(
    async ({ action, name, done }) => {
      const w = window as unknown as { __marks: PerformanceMark[] };
      const isDone = new Function('d', `return ${done};`) as (d: Record<string, number>) => boolean;
      const run = new Function(action) as () => void;
      const t0 = performance.now();
      run();
      const deadline = t0 + 20_000;
      for (;;) {
        await new Promise((r) => setTimeout(r, 2));
        const after = w.__marks.filter((m) => m.name === name && m.startTime >= t0);
        const finished = after.find((m) => isDone((m.detail ?? {}) as Record<string, number>));
        if (finished || performance.now() > deadline) {
          return {
            first: after.length ? after[0]!.startTime - t0 : NaN,
            done: finished ? finished.startTime - t0 : NaN,
          };
        }
      }
    },
    { action, name, done },
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function round(values: number[]): number[] {
  return values.map((v) => Math.round(v * 10) / 10);
}

/** Resident memory of the browser's renderer processes (CDP process list, /proc for sizes). */
async function rendererMemoryMb(page: Page): Promise<number> {
  const cdp = await page.context().browser()!.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  let max = 0;
  for (const p of info.processInfo.filter((x) => x.type === 'renderer')) {
    const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    max = Math.max(max, kb / 1024);
  }
  await cdp.detach();
  return max;
}

test('the benchmark recording: interactive in 1 s, redraws in 50 ms, renderer under 300 MB', async ({
  page,
  perfws,
}) => {
  test.setTimeout(600_000);
  const figures: Figures = { file: BIG, fileMB: Math.round(statSync(BIG).size / 2 ** 20) };
  const server = await perfws.serve(BIG, {});
  let loadedAt = 0;
  server.recording.onState((s) => {
    if (s.phase === 'loaded') loadedAt = Date.now();
  });

  // Loading: a progress bar, and Cancel works.
  await page.goto(server.url);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('load-progress')).toContainText('Reading records');
  await screenshot(page, 'loading-light');
  await page.getByTestId('cancel-load').click();
  await expect(page.getByTestId('recording-status')).toHaveAttribute('data-phase', 'failed');
  await expect(page.getByText('Loading cancelled')).toBeVisible();

  // Reopen, and time the load and what follows it.
  await watchMarks(page);
  const reopenAt = Date.now();
  await page.getByTestId('reopen').click();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 300_000 });
  figures.loadSeconds = Math.round((loadedAt - reopenAt) / 100) / 10;
  const interactive = await page.evaluate(async () => {
    const w = window as unknown as { __marks: PerformanceMark[] };
    const find = (name: string, ok: (d: Record<string, number>) => boolean) =>
      w.__marks.find((m) => m.name === name && ok((m.detail ?? {}) as Record<string, number>));
    for (let i = 0; i < 2000; i++) {
      const loaded = find('perfws:loaded', () => true);
      const flame = find('perfws:flame-graph-drawn', (d) => d.nodes! > 0 && d.preview === 0);
      const timeline = find('perfws:timeline-drawn', (d) => d.fresh === 1);
      if (loaded && flame && timeline) {
        return {
          flameGraph: flame.startTime - loaded.startTime,
          timeline: timeline.startTime - loaded.startTime,
        };
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return { flameGraph: NaN, timeline: NaN };
  });
  figures.interactiveAfterLoadMs = Math.round(
    Math.max(interactive.flameGraph, interactive.timeline),
  );
  figures.firstFlameGraphAfterLoadMs = Math.round(interactive.flameGraph);
  figures.firstTimelineAfterLoadMs = Math.round(interactive.timeline);
  await screenshot(page, 'big-flame-graph-light');

  // Timeline: Ctrl+wheel zoom and Shift+wheel pan over a track, each drawn at once from the bins
  // on screen, then from fresh bins.
  const wheel = (init: string) => `
    const canvas = document.querySelector('[data-testid="tracks"] canvas.graph');
    const r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true,
      clientX: r.left + r.width * 0.4, clientY: r.top + r.height / 2, ${init} }));`;
  const zoom: { first: number; done: number }[] = [];
  for (let i = 0; i < 12; i++) {
    zoom.push(
      await timeToMarks(
        page,
        wheel(`deltaY: ${i < 8 ? -240 : 240}, ctrlKey: true`),
        'perfws:timeline-drawn',
        'd.fresh === 1',
      ),
    );
  }
  const pan: { first: number; done: number }[] = [];
  for (let i = 0; i < 12; i++) {
    pan.push(
      await timeToMarks(
        page,
        wheel(`deltaY: ${i % 2 ? -300 : 300}, shiftKey: true`),
        'perfws:timeline-drawn',
        'd.fresh === 1',
      ),
    );
  }
  figures.timelineZoomRedrawMs = round(zoom.map((z) => z.first));
  figures.timelineZoomFreshBinsMs = round(zoom.map((z) => z.done));
  figures.timelinePanRedrawMs = round(pan.map((p) => p.first));
  figures.timelinePanFreshBinsMs = round(pan.map((p) => p.done));
  await screenshot(page, 'big-timeline-zoomed-light');
  await page.keyboard.press('0');

  // Flame graph: click-zoom into a box (the preview is drawn at once, the session's exact layout
  // follows), then back out by the breadcrumb.
  const flameZoomIn: { first: number; done: number }[] = [];
  const flameZoomOut: { first: number; done: number }[] = [];
  for (let i = 0; i < 5; i++) {
    flameZoomIn.push(
      await timeToMarks(
        page,
        `const s = document.querySelector('[data-testid="flame-graph-canvas"]');
         const r = s.getBoundingClientRect();
         s.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width * 0.5, clientY: r.bottom - 9 - 18 }));`,
        'perfws:flame-graph-drawn',
        'd.preview === 0',
      ),
    );
    flameZoomOut.push(
      await timeToMarks(
        page,
        `document.querySelector('[data-testid="breadcrumbs"] button').click();`,
        'perfws:flame-graph-drawn',
        'd.preview === 0',
      ),
    );
  }
  figures.flameZoomInRedrawMs = round(flameZoomIn.map((z) => z.first));
  figures.flameZoomInExactMs = round(flameZoomIn.map((z) => z.done));
  figures.flameZoomOutRedrawMs = round(flameZoomOut.map((z) => z.first));

  // The sample list of the busiest thread: jump to the middle of ~850 000 rows.
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('sample-row-0')).toBeVisible();
  const jump = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="sample-scroller"]')!;
    const t0 = performance.now();
    el.scrollTop = el.scrollHeight / 2;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const rows = el.querySelectorAll('[data-testid^="sample-row-"]');
      const shown = [...rows].some((r) => Number(r.getAttribute('data-testid')!.slice(11)) > 1000);
      if (shown) return performance.now() - t0;
      if (performance.now() - t0 > 20_000) return NaN;
    }
  });
  figures.sampleListJumpToMiddleMs = Math.round(jump);
  figures.sampleCount = (await page.getByTestId('sample-count').textContent()) ?? '';
  await screenshot(page, 'big-samples-light');

  // Annotate the hottest function from the top functions table: the session disassembles it
  // with objdump (not run before) and counts its samples; timed from the click to the drawing.
  await page.getByTestId('tab-top-functions').click();
  await page.getByTestId('top-row').first().click();
  await expect(page.getByTestId('annotate-function')).toBeVisible();
  const annotate = await timeToMarks(
    page,
    `document.querySelector('[data-testid="annotate-function"]').click();`,
    'perfws:annotate-drawn',
    'd.instructions > 0',
  );
  figures.annotateHottestMs = Math.round(annotate.done);
  figures.annotateHottest = (await page.getByTestId('annotate-name').textContent()) ?? '';
  await screenshot(page, 'big-annotate-light');

  figures.rendererRssMB = Math.round(await rendererMemoryMb(page));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  figures.jsHeapUsedMB = Math.round(
    (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20,
  );

  saveFigures('performance', figures);

  expect(figures.interactiveAfterLoadMs).toBeLessThan(BUDGET_INTERACTIVE_MS);
  expect(median(zoom.map((z) => z.first))).toBeLessThan(BUDGET_REDRAW_MS);
  expect(median(pan.map((p) => p.first))).toBeLessThan(BUDGET_REDRAW_MS);
  expect(median(flameZoomIn.map((z) => z.first))).toBeLessThan(BUDGET_REDRAW_MS);
  expect(figures.annotateHottestMs).toBeLessThan(BUDGET_ANNOTATE_MS);
  expect(figures.rendererRssMB).toBeLessThan(BUDGET_RENDERER_MB);
});

/** Runs `action` in the page; how long until every named mark (matching its test) follows. */
async function timeToAllMarks(
  page: Page,
  action: string,
  wanted: { name: string; done: string }[],
): Promise<number> {
  return page.evaluate(
    async ({ action, wanted }) => {
      const w = window as unknown as { __marks: PerformanceMark[] };
      const tests = wanted.map(
        (m) => new Function('d', `return ${m.done};`) as (d: Record<string, number>) => boolean,
      );
      const t0 = performance.now();
      new Function(action)();
      for (;;) {
        await new Promise((r) => setTimeout(r, 2));
        const times = wanted.map((m, k) => {
          const hit = w.__marks.find(
            (x) =>
              x.name === m.name &&
              x.startTime >= t0 &&
              tests[k]!((x.detail ?? {}) as Record<string, number>),
          );
          return hit ? hit.startTime - t0 : undefined;
        });
        if (times.every((t) => t !== undefined)) return Math.max(...(times as number[]));
        if (performance.now() - t0 > 20_000) return NaN;
      }
    },
    { action, wanted },
  );
}

test('the benchmark recording: call tree in 200 ms, a node expanded in 50 ms, a transform in every view in 300 ms', async ({
  page,
  perfws,
}) => {
  test.setTimeout(600_000);
  const BUDGET_CALL_TREE_MS = 200;
  const BUDGET_EXPAND_MS = 50;
  const BUDGET_TRANSFORM_MS = 300;
  const server = await perfws.serve(BIG, {});
  await page.goto(server.url);
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('flame-graph-canvas')).not.toHaveAttribute('data-nodes', '0');
  await watchMarks(page);
  const figures: Figures = {};

  // Opening the call tree: the first time, then back and forth between tabs.
  const open: number[] = [];
  for (let i = 0; i < 5; i++) {
    open.push(
      (
        await timeToMarks(
          page,
          `document.querySelector('[data-testid="tab-call-tree"]').click();`,
          'perfws:call-tree-drawn',
          'd.rows > 0',
        )
      ).done,
    );
    await page.getByTestId('tab-flame-graph').click();
  }
  await page.getByTestId('tab-call-tree').click();
  await expect(page.getByTestId('tree-row').first()).toBeVisible();

  // Expanding and collapsing: the first root, by keyboard, then its hottest child.
  await page.getByTestId('tree-row').first().click();
  const key = (k: string) =>
    `document.querySelector('[data-testid="call-tree-scroller"]').dispatchEvent(new KeyboardEvent('keydown', { key: '${k}', bubbles: true, cancelable: true }));`;
  const expand: number[] = [];
  const collapse: number[] = [];
  for (let i = 0; i < 6; i++) {
    expand.push(
      (await timeToMarks(page, key('ArrowRight'), 'perfws:call-tree-drawn', 'd.sinceInputMs >= 0'))
        .done,
    );
    collapse.push(
      (await timeToMarks(page, key('ArrowLeft'), 'perfws:call-tree-drawn', 'd.sinceInputMs >= 0'))
        .done,
    );
  }
  const hottest = await timeToMarks(page, key('*'), 'perfws:call-tree-drawn', 'd.rows > 5');
  figures.callTreeRows = Number(
    await page.getByTestId('call-tree-scroller').getAttribute('data-rows'),
  );
  await screenshot(page, 'big-call-tree-light');

  // A transform from the context menu, then removed from the breadcrumb: the call tree and the
  // timeline (the views on screen) both redrawn with fresh answers.
  const both = [
    { name: 'perfws:call-tree-drawn', done: 'd.rows >= 0' },
    { name: 'perfws:timeline-drawn', done: 'd.fresh === 1' },
  ];
  const apply: number[] = [];
  const remove: number[] = [];
  const rows = page.getByTestId('tree-row');
  for (let i = 0; i < 4; i++) {
    await rows.nth(Math.min(2 + i, (await rows.count()) - 1)).click({ button: 'right' });
    await expect(page.getByTestId('context-menu')).toBeVisible();
    apply.push(
      await timeToAllMarks(
        page,
        `[...document.querySelectorAll('[data-testid="context-menu"] [role="menuitem"]')].find((b) => b.textContent.trim() === '${i % 2 ? 'Drop samples with this function' : 'Merge function'}').click();`,
        both,
      ),
    );
    await expect(page.getByTestId('transform-bar')).toBeVisible();
    remove.push(
      await timeToAllMarks(
        page,
        `document.querySelector('[data-testid="transform-remove"]').click();`,
        both,
      ),
    );
    await expect(page.getByTestId('transform-bar')).toBeHidden();
  }

  figures.callTreeOpenMs = round(open);
  figures.callTreeExpandMs = round(expand);
  figures.callTreeCollapseMs = round(collapse);
  figures.callTreeHottestPathMs = Math.round(hottest.done);
  figures.transformApplyMs = round(apply);
  figures.transformRemoveMs = round(remove);
  saveFigures('performance-call-tree', figures);

  expect(median(open)).toBeLessThan(BUDGET_CALL_TREE_MS);
  expect(median(expand)).toBeLessThan(BUDGET_EXPAND_MS);
  expect(median(apply)).toBeLessThan(BUDGET_TRANSFORM_MS);
  expect(median(remove)).toBeLessThan(BUDGET_TRANSFORM_MS);
});
