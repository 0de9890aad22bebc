#!/usr/bin/env node
// Why the flame graph, flame chart and timelines draw on a plain canvas and not with ECharts:
// times one redraw of N flame-graph boxes (a rectangle and a clipped label each) both ways, in
// Debian's Chromium, against the 50 ms redraw budget. ECharts: a custom series (the way its own
// flame graph example draws), canvas renderer, no animation; a zoom is a setOption with the same
// boxes moved. Canvas: fillRect + fillText per box, as src/renderer/charts/flame-graph-draw.ts.
// usage: node scripts/bench/echarts-vs-canvas.mjs [N ...]
/* global document, window, performance, requestAnimationFrame -- the measurement runs in the page */
import { chromium } from '@playwright/test';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sizes = process.argv.slice(2).map(Number);
const counts = sizes.length > 0 ? sizes : [500, 2000, 5000];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
await page.setContent(
  '<div id="e" style="width:1600px;height:800px"></div><canvas id="c" width="1600" height="800"></canvas>',
);
await page.addScriptTag({ path: require.resolve('echarts/dist/echarts.min.js') });

const results = await page.evaluate(async (counts) => {
  const ROW = 18;
  /** A flame graph shaped like a real one: each level splits its parent's width. */
  function boxes(n) {
    const out = [];
    let level = [{ x: 0, w: 1 }];
    for (let depth = 0; out.length < n && depth < 40; depth++) {
      const next = [];
      for (const p of level) {
        if (out.length >= n) break;
        out.push({ x: p.x, w: p.w, depth, name: `function_name_${out.length}::inner_part` });
        const parts = 1 + (out.length % 4);
        for (let k = 0; k < parts; k++)
          next.push({ x: p.x + (p.w * k) / parts, w: (p.w / parts) * 0.95 });
      }
      level = next;
    }
    return out;
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const rows = [];
  for (const n of counts) {
    const data = boxes(n);
    // Canvas: one full redraw.
    const ctx = document.getElementById('c').getContext('2d');
    ctx.font = '11px monospace';
    ctx.textBaseline = 'middle';
    const canvasTimes = [];
    for (let run = 0; run < 15; run++) {
      const zoom = 1 + run * 0.05;
      const t0 = performance.now();
      ctx.clearRect(0, 0, 1600, 800);
      for (const b of data) {
        const x = b.x * 1600 * zoom;
        const w = b.w * 1600 * zoom;
        if (x > 1600) continue;
        ctx.fillStyle = `hsl(${(b.depth * 37) % 60}, 80%, 60%)`;
        ctx.fillRect(x, 780 - b.depth * ROW, Math.max(0.5, w - 1), ROW - 1);
        if (w > 20) {
          ctx.fillStyle = '#000';
          ctx.fillText(b.name.slice(0, Math.floor(w / 7)), x + 3, 780 - b.depth * ROW + ROW / 2);
        }
      }
      ctx.getImageData(0, 0, 1, 1); // wait for the drawing to finish
      canvasTimes.push(performance.now() - t0);
      await frame();
    }
    // ECharts: custom series, one setOption per redraw, rendered synchronously.
    const el = document.getElementById('e');
    const chart = window.echarts.init(el, null, { renderer: 'canvas' });
    const option = (zoom) => ({
      animation: false,
      xAxis: { show: false, min: 0, max: 1 / zoom },
      yAxis: { show: false, min: 0, max: 800 / ROW },
      grid: { left: 0, right: 0, top: 0, bottom: 0 },
      series: [
        {
          type: 'custom',
          renderItem: (params, api) => {
            const start = api.coord([api.value(0), api.value(2)]);
            const end = api.coord([api.value(0) + api.value(1), api.value(2) + 1]);
            const w = end[0] - start[0];
            return {
              type: 'rect',
              shape: { x: start[0], y: end[1], width: Math.max(0.5, w - 1), height: ROW - 1 },
              style: {
                fill: `hsl(${(api.value(2) * 37) % 60}, 80%, 60%)`,
                text: w > 20 ? data[params.dataIndex].name : '',
                textFill: '#000',
                fontSize: 11,
                fontFamily: 'monospace',
                overflow: 'truncate',
                width: w - 6,
              },
            };
          },
          encode: { x: [0, 1], y: 2 },
          data: data.map((b) => [b.x, b.w, b.depth]),
        },
      ],
    });
    const echartsTimes = [];
    for (let run = 0; run < 15; run++) {
      const t0 = performance.now();
      chart.setOption(option(1 + run * 0.05), { notMerge: run === 0, lazyUpdate: false });
      chart.getZr().refreshImmediately();
      echartsTimes.push(performance.now() - t0);
      await frame();
    }
    chart.dispose();
    rows.push({
      boxes: data.length,
      canvasMs: Math.round(median(canvasTimes) * 10) / 10,
      echartsFirstMs: Math.round(echartsTimes[0] * 10) / 10,
      echartsZoomMs: Math.round(median(echartsTimes.slice(1)) * 10) / 10,
    });
  }
  return rows;
}, counts);

await browser.close();
console.log('one flame graph redraw, median of 15 (ms); budget 50 ms');
console.log('boxes   canvas   ECharts first   ECharts zoom');
for (const r of results) {
  console.log(
    `${String(r.boxes).padStart(5)}  ${String(r.canvasMs).padStart(7)}  ${String(r.echartsFirstMs).padStart(14)}  ${String(r.echartsZoomMs).padStart(13)}`,
  );
}
