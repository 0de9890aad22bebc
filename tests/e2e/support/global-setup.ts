import { existsSync } from 'node:fs';
import { buildRenderer, rendererIsStale } from './build-renderer';

/** The tests drive the built renderer: build it when missing or older than its sources. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error(
      'Chromium is missing: apt-get update && apt-get install -y chromium (Playwright cannot download browsers here)',
    );
  }
  if (rendererIsStale()) await buildRenderer();
}
