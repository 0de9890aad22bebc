import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from './build-renderer';

/** Writes a performance test's figures to test-results/NAME.json and prints them. */
export function saveFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const text = JSON.stringify(figures, null, 2);
  writeFileSync(join(ROOT, 'test-results', `${name}.json`), text + '\n');
  console.log(text);
}

/** Starts recording User Timing marks in the page (every one, even those replaced since). */
export async function watchMarks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __marks: PerformanceMark[] };
    w.__marks = [];
    new PerformanceObserver((list) => {
      w.__marks.push(...(list.getEntries() as PerformanceMark[]));
    }).observe({ type: 'mark' });
  });
}
