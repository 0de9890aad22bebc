import { existsSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { saveFigures, watchMarks } from './support/figures';
import { expect, test } from './support/served';

/**
 * Interaction budgets on the benchmark recording (issue 11), in the served mode:
 * - zoom, pan and wheel: at most 16 ms of main-thread work per frame (CDP tracing: the renderer
 *   main thread's tasks, summed per frame);
 * - a selection or a search updates every view on screen within 100 ms;
 * - a tab or row click answers within 100 ms.
 * The figures go to test-results/interactions.json and the console.
 */
const BIG = process.env.PERFWS_BENCH_FILE ?? '/tmp/perfbench/big.data';
const BUDGET_FRAME_MS = 16;
const BUDGET_UPDATE_MS = 100;

test.skip(!existsSync(BIG), `the benchmark recording ${BIG} is missing`);
// Playwright's trace snapshots the DOM on every action, in the page's main thread: off here.
test.use({ trace: 'off' });

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (its duration less the time it was not running). */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Main-thread work of the page while `action` runs: every task of the renderer's main thread
 * (CrRendererMain), and the work summed per frame (frames start at BeginMainThreadFrame). Beside
 * it, for the figures only, the thread's CPU time in the same tasks per frame: on 2 cores shared
 * with the session, Chromium's other processes (and other work on the machine) a task's wall
 * time includes the time its thread waited for a core, so the two tell the page's own work from
 * the waiting.
 */
async function mainThreadWork(
  page: Page,
  action: () => Promise<void>,
): Promise<{ longestTaskMs: number; framesMs: number[]; framesCpuMs: number[] }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline.frame',
    transferMode: 'ReportEvents',
  });
  await action();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // the page's main thread: the renderer main thread with the most tasks
  let best: { pid: number; tid: number; tasks: TraceEvent[] } | undefined;
  for (const m of mains) {
    const tasks = events.filter(
      (e) =>
        e.pid === m.pid &&
        e.tid === m.tid &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.ph === 'X',
    );
    if (!best || tasks.length > best.tasks.length) best = { pid: m.pid, tid: m.tid, tasks };
  }
  if (!best) return { longestTaskMs: NaN, framesMs: [], framesCpuMs: [] };
  const frames = events
    .filter((e) => e.pid === best.pid && e.name === 'BeginFrame')
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const perFrame = new Map<number, number>();
  const perFrameCpu = new Map<number, number>();
  for (const t of best.tasks) {
    // the frame the task ran in: the last frame start at or before it
    let lo = 0;
    let hi = frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (frames[mid]! <= t.ts) lo = mid + 1;
      else hi = mid;
    }
    perFrame.set(lo, (perFrame.get(lo) ?? 0) + (t.dur ?? 0) / 1000);
    perFrameCpu.set(lo, (perFrameCpu.get(lo) ?? 0) + (t.tdur ?? 0) / 1000);
  }
  return {
    longestTaskMs: Math.max(0, ...best.tasks.map((t) => (t.dur ?? 0) / 1000)),
    framesMs: [...perFrame.values()].filter((ms) => ms > 0.5),
    framesCpuMs: [...perFrame].filter(([, ms]) => ms > 0.5).map(([f]) => perFrameCpu.get(f)!),
  };
}

/** Time from `action` (run in the page) until `ready` (polled each frame) holds. */
async function timeUntil(page: Page, action: string, ready: string): Promise<number> {
  return page.evaluate(
    async ({ action, ready }) => {
      const isReady = new Function(`return (${ready});`) as () => boolean;
      const t0 = performance.now();
      new Function(action)();
      for (;;) {
        if (isReady()) return performance.now() - t0;
        if (performance.now() - t0 > 20_000) return NaN;
        await new Promise((r) => requestAnimationFrame(r));
      }
    },
    { action, ready },
  );
}

/** A mark named `name` with `test` on its detail, made after `since`. */
const markAfter = (name: string, test: string) =>
  `window.__marks.some((m) => m.name === '${name}' && m.startTime >= t0 && ((d) => ${test})(m.detail ?? {}))`;

const p95 = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
};
const max = (values: number[]): number => Math.max(0, ...values);
const round = (v: number): number => Math.round(v * 10) / 10;

test('interaction budgets on the benchmark recording', async ({ page, perfws }) => {
  test.setTimeout(600_000);
  const figures: Record<string, unknown> = { file: BIG };
  const server = await perfws.serve(BIG, {});
  await page.goto(server.url);
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('flame-graph-canvas')).not.toHaveAttribute('data-nodes', '0');
  await watchMarks(page);
  await page.waitForTimeout(1000);

  // Ctrl+wheel and Shift+wheel over the tracks: real input events, a few per frame.
  const tracks = (await page.getByTestId('tracks').boundingBox())!;
  await page.mouse.move(tracks.x + tracks.width * 0.6, tracks.y + 15);
  const wheel = async (modifier: 'Control' | 'Shift', deltas: number[]): Promise<void> => {
    await page.keyboard.down(modifier);
    for (const d of deltas) {
      await page.mouse.wheel(0, d);
      await page.waitForTimeout(8);
    }
    await page.keyboard.up(modifier);
    await page.waitForTimeout(400);
  };
  const zoom = await mainThreadWork(page, () =>
    wheel('Control', [...Array(12).fill(-120), ...Array(12).fill(120)]),
  );
  figures.timelineWheelZoomFrameMs = {
    max: round(max(zoom.framesMs)),
    p95: round(p95(zoom.framesMs)),
  };
  figures.timelineWheelZoomFrameCpuMs = {
    max: round(max(zoom.framesCpuMs)),
    p95: round(p95(zoom.framesCpuMs)),
  };
  figures.timelineWheelZoomLongestTaskMs = round(zoom.longestTaskMs);
  await wheel('Control', Array(6).fill(-240));
  const pan = await mainThreadWork(page, () =>
    wheel('Shift', [...Array(12).fill(150), ...Array(12).fill(-150)]),
  );
  figures.timelineWheelPanFrameMs = {
    max: round(max(pan.framesMs)),
    p95: round(p95(pan.framesMs)),
  };
  figures.timelineWheelPanFrameCpuMs = {
    max: round(max(pan.framesCpuMs)),
    p95: round(p95(pan.framesCpuMs)),
  };
  figures.timelineWheelPanLongestTaskMs = round(pan.longestTaskMs);
  const keys = await mainThreadWork(page, async () => {
    for (const k of ['+', '+', 'ArrowLeft', 'ArrowRight', '-', '-']) {
      await page.keyboard.press(k);
      await page.waitForTimeout(120);
    }
  });
  figures.keyboardZoomPanFrameMs = {
    max: round(max(keys.framesMs)),
    p95: round(p95(keys.framesMs)),
  };
  figures.keyboardZoomPanFrameCpuMs = {
    max: round(max(keys.framesCpuMs)),
    p95: round(p95(keys.framesCpuMs)),
  };
  await page.keyboard.press('0');
  await page.waitForTimeout(500);

  // A selection dragged on the tracks: until the timeline and the flame graph are redrawn
  // from fresh answers.
  const y = tracks.y + 15;
  await page.mouse.move(tracks.x + tracks.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(tracks.x + tracks.width * 0.5, y, { steps: 5 });
  const waiting = page.evaluate(
    async ({ ready }) => {
      const isReady = new Function('t0', `return (${ready});`) as (t0: number) => boolean;
      // From the release itself: its event's time stamp. (Taking the time when this starts
      // waiting counted the 100 ms the pointer is held still before the release, and the
      // round trip of this call: about 150 ms that the selection's update does not cause.)
      const t0 = await new Promise<number>((resolve) => {
        window.addEventListener('pointerup', (e) => resolve(e.timeStamp), {
          once: true,
          capture: true,
        });
      });
      for (;;) {
        if (isReady(t0)) return performance.now() - t0;
        if (performance.now() - t0 > 20_000) return NaN;
        await new Promise((r) => requestAnimationFrame(r));
      }
    },
    {
      ready: `${markAfter('perfws:flame-graph-drawn', 'd.preview === 0')} && ${markAfter('perfws:timeline-drawn', 'd.fresh === 1')}`,
    },
  );
  await page.waitForTimeout(100);
  await page.mouse.up();
  const selection = await waiting;
  figures.selectionEveryViewMs = round(selection);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(500);

  // A search in the flame graph: from the moment it applies (after the box's 160 ms pause) to
  // the flame graph drawn with its matches.
  const searches: number[] = [];
  for (const text of ['leaf', 'hash', 'msort', 'main']) {
    searches.push(
      await timeUntil(
        page,
        `const t0 = performance.now(); window.__t0 = t0;
         const input = document.querySelector('[data-testid="search-input"]');
         input.value = '${text}'; input.dispatchEvent(new Event('input', { bubbles: true }));`,
        `window.__marks.some((m) => m.name === 'perfws:flame-graph-drawn' && m.startTime >= window.__t0 + 160 && (m.detail ?? {}).preview === 0)`,
      ),
    );
  }
  figures.searchAppliedToDrawnMs = searches.map((ms) => round(ms - 160));

  // Tabs and rows: until the view shows its answer.
  const tab = (id: string, ready: string) =>
    timeUntil(
      page,
      `window.__clickAt = performance.now();
       document.querySelector('[data-testid="tab-${id}"]').click();`,
      ready,
    );
  const flameChartTab: number[] = [];
  // The flame chart's answer is in the view (the readiness above) a frame before its canvas is
  // painted: this also times the click to the painted chart (the perfws:flame-chart-drawn mark).
  const flameChartDrawn: number[] = [];
  const topTab: number[] = [];
  for (let i = 0; i < 3; i++) {
    flameChartTab.push(
      await tab(
        'flame-chart',
        `Number(document.querySelector('[data-testid="flame-chart-canvas"]')?.dataset.boxes ?? 0) > 0`,
      ),
    );
    flameChartDrawn.push(
      await page.evaluate(async () => {
        const w = window as unknown as { __clickAt: number; __marks: PerformanceMark[] };
        for (let frames = 0; frames < 600; frames++) {
          const m = w.__marks.find(
            (m) =>
              m.name === 'perfws:flame-chart-drawn' &&
              m.startTime >= w.__clickAt &&
              (m.detail as { boxes?: number } | null)?.boxes,
          );
          if (m) return m.startTime - w.__clickAt;
          await new Promise((r) => requestAnimationFrame(r));
        }
        return NaN;
      }),
    );
    topTab.push(
      await tab('top-functions', `document.querySelectorAll('[data-testid="top-row"]').length > 0`),
    );
  }
  figures.flameChartTabMs = flameChartTab.map(round);
  figures.flameChartTabDrawnMs = flameChartDrawn.map(round);
  figures.topFunctionsTabMs = topTab.map(round);
  const rowClicks: number[] = [];
  for (let i = 0; i < 4; i++) {
    rowClicks.push(
      await timeUntil(
        page,
        `window.__row = document.querySelectorAll('[data-testid="top-row"]')[${i}];
         window.__row.click();`,
        `document.querySelector('[data-testid="callers"]')?.dataset.func !== undefined && window.__row.classList.contains('selected') && document.querySelector('[data-testid="callers"] .node .root')?.textContent === window.__row.querySelector('.name').textContent.trim()`,
      ),
    );
  }
  figures.topFunctionsRowClickMs = rowClicks.map(round);
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('sample-row-0')).toBeVisible();
  await page.getByTestId('sample-scroller').focus();
  const end = await timeUntil(
    page,
    `document.querySelector('[data-testid="sample-scroller"]').dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));`,
    `(() => { const rows = [...document.querySelectorAll('[data-testid^="sample-row-"]')]; return rows.some((r) => r.classList.contains('active') && !r.textContent.includes('…')); })()`,
  );
  figures.sampleListEndMs = round(end);

  saveFigures('interactions', figures);

  const frame = (f: unknown): number => (f as { p95: number }).p95;
  // Main-thread work per frame of zoom and pan (p95, as issue 11 gives the budget). Traces of a
  // wheel zoom showed what a heavy frame was made of: the session's work for the gesture's first
  // step (asked at once) taking one of the two cores from the gesture's frames, and its answer
  // landing among them; the marker lane changing height with the view (every track re-laid out,
  // the lane's canvas reallocated: 14 ms in one commit); a fillRect per run of bars, several
  // hundred per track, rasterised again in the commit. Now a gesture is asked about once it
  // rests (stores/timeline.ts), the lane keeps a row per kind of the whole recording, and the
  // bars are written as pixels (charts/column-pixels.ts). Wheel zoom, before → after, beside
  // other engineers' work on the 2 cores: p95 10.4–14.4 → 9.4–10.9 ms (thread CPU time, p95
  // 8.4 → 6.1–6.3 ms; slowest frame 20.9–30 → 12.8–25.6 ms). Pan and keys were within the
  // budget before and are now, their figures dominated by waiting for a core. Left: the flame
  // graph's canvas (1440x575) hands the compositor a new copy of itself in every commit while the
  // timeline draws (7 canvas resources a frame, not 6; 1–2 ms, 10–20 ms now and then in page
  // faults): the slowest frames.
  expect(
    frame(figures.timelineWheelZoomFrameMs),
    'wheel zoom: main-thread work per frame, p95',
  ).toBeLessThanOrEqual(BUDGET_FRAME_MS);
  expect(
    frame(figures.timelineWheelPanFrameMs),
    'wheel pan: main-thread work per frame, p95',
  ).toBeLessThanOrEqual(BUDGET_FRAME_MS);
  expect(
    frame(figures.keyboardZoomPanFrameMs),
    'keyboard zoom/pan: main-thread work per frame, p95',
  ).toBeLessThanOrEqual(BUDGET_FRAME_MS);
  expect(max(searches.map((s) => s - 160))).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // a selection dragged on the timeline: its flame graph is prepared while the pointer rests
  expect(selection).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // the flame chart's first answer is prepared in the background, then served from the cache
  expect(flameChartTab[0]!).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // a tab opened again answers from the session's answer cache
  expect(max(flameChartTab.slice(1))).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // painted: box fills written as pixels (charts/pixel-fills.ts), and a repeat open puts back
  // the picture it painted before (charts/painted-layers.ts)
  expect(flameChartDrawn[0]!, 'flame chart tab, first open until painted').toBeLessThanOrEqual(
    BUDGET_UPDATE_MS,
  );
  expect(
    max(flameChartDrawn.slice(1)),
    'flame chart tab, slowest repeat open until painted',
  ).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // a row click: the callers tree puts only its rows on screen in the DOM (a hot function has
  // thousands), the table re-renders only the rows whose selection changed
  expect(max(rowClicks), 'top functions row click, slowest').toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  // the top functions' first answer is prepared in the background (WorkspaceView), so even the
  // first open only lays out its rows (128.6 ms in a clean CI run when it asked the session), and
  // only the rows on screen (all 500 took 110–150 ms now and then on a busy machine; 10–20 ms)
  expect(max(topTab), 'top functions tab, slowest open').toBeLessThanOrEqual(BUDGET_UPDATE_MS);
  expect(end).toBeLessThanOrEqual(BUDGET_UPDATE_MS);
});
