import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/build-renderer';
import { expect, screenshot, test } from './support/served';

/**
 * Issue 13's budgets on the benchmark recording (performance project): hovering a track
 * answers within 16 ms of main-thread work (the pointer handler plus drawing the answer's
 * tooltip; the session's search runs in its own process), and the marker lane adds no more
 * than 20 % to a timeline redraw. The figures go to test-results/timeline-performance.json.
 */
const BIG = process.env.PERFWS_BENCH_FILE ?? '/tmp/perfbench/big.data';
const BUDGET_HOVER_MS = 16;
const BUDGET_LANE_SHARE = 0.2;

test.skip(!existsSync(BIG), `the benchmark recording ${BIG} is missing`);

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

const round = (v: number): number => Math.round(v * 100) / 100;

test('the benchmark recording: hover within 16 ms of main-thread work; the marker lane adds at most 20 % to a redraw', async ({
  page,
  perfws,
}) => {
  test.setTimeout(600_000);
  const server = await perfws.serve(BIG, {});
  await page.goto(server.url);
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('marker-lane')).toBeVisible();
  const canvas = page.locator('[data-testid="tracks"] canvas.graph').first();
  await expect(canvas).toBeVisible();

  // Hover: 40 positions along the busiest track, each answered before the next.
  const hover = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid="tracks"] [data-thread-index] canvas.graph')!;
    const r = c.getBoundingClientRect();
    const out: { move: number; answer: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      const x = r.left + r.width * (0.05 + (0.9 * i) / 39);
      const m0 = performance.now();
      c.dispatchEvent(
        new PointerEvent('pointermove', {
          bubbles: true,
          clientX: x,
          clientY: r.top + r.height / 2,
          pointerId: 1,
        }),
      );
      const move = performance.now() - m0;
      for (;;) {
        await new Promise((res) => setTimeout(res, 1));
        const mark = performance
          .getEntriesByName('perfws:hover-drawn')
          .find((m) => m.startTime >= t0) as PerformanceMark | undefined;
        if (mark) {
          out.push({ move, answer: (mark.detail as { ms: number }).ms });
          break;
        }
        if (performance.now() - t0 > 10_000) {
          out.push({ move, answer: NaN });
          break;
        }
      }
    }
    return out;
  });
  await screenshot(page, 'big-timeline-hover-light');
  const hoverWork = hover.map((h) => h.move + h.answer);

  // Redraws with and without the marker lane: the panel's own measure of its draw (drawMs) and
  // of the lane's part (laneMs), over pans that redraw every visible track.
  const redraws = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid="tracks"] [data-thread-index] canvas.graph')!;
    const r = c.getBoundingClientRect();
    const out: { draw: number; lane: number }[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      c.dispatchEvent(
        new WheelEvent('wheel', {
          bubbles: true,
          cancelable: true,
          clientX: r.left + r.width * 0.4,
          clientY: r.top + r.height / 2,
          deltaY: i % 2 ? -120 : 120,
          ctrlKey: i < 10,
          shiftKey: i >= 10,
        }),
      );
      for (;;) {
        await new Promise((res) => requestAnimationFrame(res));
        const mark = performance
          .getEntriesByName('perfws:timeline-drawn')
          .find((m) => m.startTime >= t0) as PerformanceMark | undefined;
        if (mark) {
          const d = mark.detail as { drawMs: number; laneMs: number };
          out.push({ draw: d.drawMs, lane: d.laneMs });
          break;
        }
        if (performance.now() - t0 > 10_000) break;
      }
    }
    return out;
  });
  const laneShare = redraws.map((d) => d.lane / Math.max(1e-3, d.draw - d.lane));
  const figures = {
    hoverWorkMs: hover.map((h) => round(h.move + h.answer)),
    hoverMoveMs: hover.map((h) => round(h.move)),
    hoverAnswerMs: hover.map((h) => round(h.answer)),
    hoverWorkP90Ms: round(percentile(hoverWork, 0.9)),
    hoverWorkMaxMs: round(Math.max(...hoverWork)),
    timelineDrawMs: redraws.map((d) => round(d.draw)),
    markerLaneMs: redraws.map((d) => round(d.lane)),
    markerLaneShareMedian: round(percentile(laneShare, 0.5)),
  };
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'test-results', 'timeline-performance.json'),
    JSON.stringify(figures, null, 2) + '\n',
  );
  console.log(JSON.stringify(figures, null, 2));
  expect(hover.every((h) => Number.isFinite(h.answer))).toBe(true);
  expect(figures.hoverWorkP90Ms).toBeLessThanOrEqual(BUDGET_HOVER_MS);
  expect(figures.markerLaneShareMedian).toBeLessThanOrEqual(BUDGET_LANE_SHARE);
});
