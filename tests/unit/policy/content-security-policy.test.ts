/**
 * One Content-Security-Policy and one MIME table for every way the renderer is delivered: served
 * static files, Electron's protocol handler, the index.html <meta> tag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/main/content-security-policy';
import { rendererResponse } from '../../../src/main/app-protocol';
import {
  mimeTypeOf,
  RENDERER_META_CSP,
  rendererContentSecurityPolicy,
} from '../../../src/shared/policy/content-security-policy';

const ROOT = join(__dirname, '..', '..', '..');

describe('the renderer content security policy', () => {
  it("is index.html's <meta> tag, letter for letter", () => {
    const page = readFileSync(join(ROOT, 'src', 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(page);
    expect(meta?.[1]).toBe(RENDERER_META_CSP);
  });

  it('as a header adds only what a <meta> cannot carry', () => {
    expect(rendererContentSecurityPolicy()).toBe(`${RENDERER_META_CSP}; frame-ancestors 'none'`);
    expect(RENDERER_META_CSP).not.toContain('frame-ancestors');
  });

  it('Electron and the served mode send the same header; nothing inline or evaluated', () => {
    const header = rendererContentSecurityPolicy();
    expect(contentSecurityPolicy(undefined)).toBe(header);
    expect(header).not.toMatch(/unsafe|\*/);
    expect(header).toContain("style-src 'self';");
  });

  it('gives both servers one MIME table', async () => {
    expect(mimeTypeOf('/x/assets/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('INDEX.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('/x/assets.d/file')).toBe('application/octet-stream');
    const root = join(ROOT, 'src', 'renderer');
    const page = await rendererResponse(root, 'perfws-app://renderer/index.html', 'p');
    expect(page.headers.get('content-type')).toBe(mimeTypeOf('index.html'));
  });
});
