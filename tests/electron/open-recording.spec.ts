import { join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { HostApi, RecordingState } from '../../src/shared/contract';
import { APP_ROOT, electronRuntime, missingBuildOutputs, skipBanner } from './electron-runtime';

/**
 * The real desktop app: opens a recording through File → Open Recording… (the menu item itself,
 * with the native dialog answered by the test), and checks the summary the page shows against
 * what the session reports, then that the page's session port works and refuses `open`.
 */
const RECORDING = join(APP_ROOT, 'tests/fixtures/deferred/fp-recurse-merged/perf.data');

const runtime = await electronRuntime();
if (!runtime.ok && process.env.TEST_WORKER_INDEX === undefined) {
  console.log(skipBanner(runtime.reason));
}
test.skip(!runtime.ok, runtime.ok ? '' : `no Electron here: ${runtime.reason}`);

/** `window.perfws` as the preload exposes it (not declared globally: the renderer has its own). */
type Bridge = Omit<HostApi, 'connectSession'> & { requestSessionPort(): Promise<void> };
type BridgeWindow = Window & { perfws: Bridge };
const hostState = (page: Page): Promise<RecordingState> =>
  page.evaluate(() => (window as unknown as BridgeWindow).perfws.state());

let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  if (!runtime.ok) return;
  const missing = await missingBuildOutputs();
  expect(missing, 'build the app first: npm run build').toEqual([]);
  const env = { ...process.env };
  delete env.ELECTRON_RENDERER_URL;
  app = await _electron.launch({
    executablePath: runtime.executablePath,
    args: [...runtime.args, APP_ROOT],
    env: env as Record<string, string>,
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
});

test('File → Open Recording… loads the recording and shows its summary', async () => {
  await expect.poll(() => hostState(page)).toEqual({ phase: 'empty' });

  // Answer the native dialog, then click the real menu item.
  await app.evaluate(({ dialog }, path) => {
    dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [path] });
  }, RECORDING);
  await app.evaluate(({ Menu }) => {
    const item = Menu.getApplicationMenu()?.getMenuItemById('file.open');
    if (!item) throw new Error('no File → Open Recording… item');
    item.click();
  });

  await expect
    .poll(async () => (await hostState(page)).phase, {
      timeout: 60_000,
    })
    .toBe('loaded');
  const state = (await hostState(page)) as Extract<RecordingState, { phase: 'loaded' }>;
  expect(state.name).toBe('perf.data');
  expect(state.summary.meta.samples).toBeGreaterThan(0);
  expect(state.summary.meta.merge.merged).toBeGreaterThan(0);

  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-samples')).toHaveText(
    new RegExp(`^${String(state.summary.meta.samples).replace(/\B(?=(\d{3})+$)/g, '\\D?')}$`),
  );
  const title = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]?.getTitle(),
  );
  expect(title).toBe('perf.data — perf workstation');

  const menu = await app.evaluate(({ Menu }) => {
    const byId = (id: string) => Menu.getApplicationMenu()?.getMenuItemById(id);
    return {
      exportFolded: byId('file.export-folded')?.enabled,
      merge: byId('view.merge')?.checked,
    };
  });
  expect(menu).toEqual({ exportFolded: true, merge: true });
});

test('the page reaches its session through the port main hands over, and cannot open files', async () => {
  const answers = await page.evaluate(async () => {
    const port = await new Promise<MessagePort>((resolve) => {
      const onMessage = (event: MessageEvent): void => {
        if ((event.data as { type?: string })?.type !== 'perfws:session-port') return;
        window.removeEventListener('message', onMessage);
        resolve(event.ports[0]!);
      };
      window.addEventListener('message', onMessage);
      void (window as unknown as BridgeWindow).perfws.requestSessionPort();
    });
    const call = (id: number, method: string, args: unknown[]) =>
      new Promise<unknown>((resolve) => {
        port.addEventListener('message', (event: MessageEvent) => {
          const data = event.data as { kind: string; id: number };
          if (data.kind === 'result' && data.id === id) resolve(data);
        });
        port.postMessage({ kind: 'call', id, method, args });
      });
    port.start();
    return {
      summary: await call(1, 'summary', []),
      open: await call(2, 'open', [{ path: '/etc/passwd' }]),
    };
  });
  expect(answers.summary).toMatchObject({ ok: true, value: { threads: expect.any(Number) } });
  expect(answers.open).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
});
