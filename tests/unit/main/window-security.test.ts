import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { Protocol } from 'electron';
import {
  registerAppScheme,
  rendererResponse,
  resolveRendererFile,
  serveRendererFiles,
} from '../../../src/main/app-protocol';
import {
  contentSecurityPolicy,
  installContentSecurityPolicy,
} from '../../../src/main/content-security-policy';
import { rendererLocation } from '../../../src/main/renderer-location';
import { guardWebContents, restrictPermissions } from '../../../src/main/web-contents-guards';
import { recordingWindowOptions } from '../../../src/main/window-options';

describe('recording window options', () => {
  const options = recordingWindowOptions('/app/out/preload/index.cjs', '/app/resources/icon.png');

  it('isolate the page: no Node, sandboxed, isolated preload world, same-origin policy', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
    });
  });

  it('show the window only once it has something to show', () => {
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/app/resources/icon.png');
  });
});

/** Records the listeners guardWebContents installs and lets the test fire them. */
function fakeContents() {
  const listeners = new Map<string, (event: unknown) => void>();
  let openHandler: ((details: { url: string }) => unknown) | undefined;
  const contents = {
    on: (name: string, listener: (event: unknown) => void) => listeners.set(name, listener),
    setWindowOpenHandler: (h: (details: { url: string }) => unknown) => (openHandler = h),
  };
  guardWebContents(contents as unknown as WebContents);
  const fire = (name: string, extra: object = {}): boolean => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true), ...extra });
    return prevented;
  };
  return { fire, open: (url: string) => openHandler?.({ url }) };
}

describe('guardWebContents', () => {
  it('refuses every navigation, redirect and webview', () => {
    const c = fakeContents();
    expect(c.fire('will-navigate', { url: 'https://example.com/' })).toBe(true);
    expect(c.fire('will-navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(c.fire('will-redirect')).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.fire('will-frame-navigate', { isMainFrame: false })).toBe(true);
  });

  it('denies window.open', () => {
    const c = fakeContents();
    expect(c.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(c.open('perfws-app://renderer/index.html')).toEqual({ action: 'deny' });
  });
});

describe('restrictPermissions', () => {
  const app = rendererLocation(undefined);
  let request: (permission: string, url: string) => boolean;
  let check: (permission: string, origin: string) => boolean;
  restrictPermissions(
    {
      setPermissionRequestHandler: (h: (...a: unknown[]) => void) => {
        request = (permission, url) => {
          let granted = false;
          h(undefined, permission, (g: boolean) => (granted = g), { requestingUrl: url });
          return granted;
        };
      },
      setPermissionCheckHandler: (h: (...a: unknown[]) => boolean) => {
        check = (permission, origin) => h(undefined, permission, origin);
      },
    } as unknown as Session,
    app.isAppUrl,
  );

  it('grants clipboard writes to the app and nothing else to anyone', () => {
    expect(request('clipboard-sanitized-write', app.entryUrl)).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(request('media', app.entryUrl)).toBe(false);
    expect(request('notifications', app.entryUrl)).toBe(false);
    expect(check('clipboard-sanitized-write', 'perfws-app://renderer')).toBe(true);
    expect(check('geolocation', 'perfws-app://renderer')).toBe(false);
  });
});

describe('renderer location', () => {
  it('recognises only the app scheme and host when built', () => {
    const built = rendererLocation(undefined);
    expect(built.entryUrl).toBe('perfws-app://renderer/index.html');
    expect(built.isAppUrl('perfws-app://renderer/index.html#/flame')).toBe(true);
    expect(built.isAppUrl('perfws-app://other/index.html')).toBe(false);
    expect(built.isAppUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(built.isAppUrl('http://localhost:5173/')).toBe(false);
    expect(built.isAppUrl('not a url')).toBe(false);
  });

  it('recognises the dev server by origin', () => {
    const dev = rendererLocation('http://localhost:5173/');
    expect(dev.isAppUrl('http://localhost:5173/src/main.ts')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl('perfws-app://renderer/index.html')).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows scripts only from the app, no eval, no plugins, frames or forms', () => {
    const policy = contentSecurityPolicy(undefined);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/unsafe-eval/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(contentSecurityPolicy('http://localhost:5173')).toContain(
      "connect-src 'self' ws://localhost:5173",
    );
  });

  it('is added as a header to app pages only, replacing any other', () => {
    let listener: ((details: object, callback: (r: object) => void) => void) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) },
    } as unknown as Session;
    const dev = rendererLocation('http://localhost:5173/');
    installContentSecurityPolicy(session, dev.isAppUrl, 'default-src x');
    const respond = (url: string): object => {
      let result: object = {};
      listener?.(
        { url, responseHeaders: { 'content-security-policy': ['lax'], Server: ['vite'] } },
        (r) => (result = r),
      );
      return result;
    };
    expect(respond('http://localhost:5173/')).toEqual({
      responseHeaders: { Server: ['vite'], 'Content-Security-Policy': ['default-src x'] },
    });
    expect(respond('https://example.com/')).toEqual({});
  });
});

describe('the app protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'perfws-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>perf workstation</title>');
  writeFileSync(join(root, 'assets', 'index-1.js'), 'console.log(1)');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is a privileged standard, secure scheme served by our handler', async () => {
    const registered: unknown[] = [];
    const handlers = new Map<string, (request: Request) => Promise<Response>>();
    const protocol = {
      registerSchemesAsPrivileged: (schemes: unknown[]) => registered.push(...schemes),
      handle: (scheme: string, h: (request: Request) => Promise<Response>) =>
        handlers.set(scheme, h),
    } as unknown as Protocol;
    registerAppScheme(protocol);
    expect(registered).toEqual([
      {
        scheme: 'perfws-app',
        privileges: expect.objectContaining({ standard: true, secure: true, corsEnabled: true }),
      },
    ]);
    serveRendererFiles(protocol, root, 'default-src x');
    const page = await handlers.get('perfws-app')!(new Request('perfws-app://renderer/index.html'));
    expect(page.status).toBe(200);
  });

  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveRendererFile(root, 'perfws-app://renderer/')).toBe(join(root, 'index.html'));
    expect(resolveRendererFile(root, 'perfws-app://renderer/assets/index-1.js?v=1')).toBe(
      join(root, 'assets', 'index-1.js'),
    );
  });

  it('never leaves the renderer folder', () => {
    for (const url of [
      'perfws-app://renderer/../../etc/passwd',
      'perfws-app://renderer/%2e%2e/%2e%2e/etc/passwd',
      'perfws-app://renderer/assets/..%2F..%2F..%2Fetc%2Fpasswd',
      'perfws-app://renderer/%00',
      'perfws-app://other/index.html',
      'file:///etc/passwd',
    ]) {
      const file = resolveRendererFile(root, url);
      if (file !== undefined) expect(file.startsWith(root + '/'), url).toBe(true);
    }
    expect(resolveRendererFile(root, 'perfws-app://renderer/assets/..%2F..%2F..%2Fetc')).toBe(
      undefined,
    );
    expect(resolveRendererFile(root, 'perfws-app://other/index.html')).toBeUndefined();
  });

  it('answers with the file, its type and the policy; 404 for anything else', async () => {
    const page = await rendererResponse(root, 'perfws-app://renderer/index.html', 'default-src x');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe('default-src x');
    expect(await page.text()).toContain('perf workstation');
    const script = await rendererResponse(root, 'perfws-app://renderer/assets/index-1.js', 'p');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await rendererResponse(root, 'perfws-app://renderer/missing.js', 'p')).status).toBe(
      404,
    );
    expect((await rendererResponse(root, 'perfws-app://renderer/..%2F..%2Fetc', 'p')).status).toBe(
      404,
    );
  });
});
