import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let webDir: string;
const page = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  // A built app in miniature: Vite's layout, with fingerprinted files under assets/.
  webDir = await mkdtemp(path.join(tmpdir(), 'carnet-web-'));
  await mkdir(path.join(webDir, 'assets'));
  await mkdir(path.join(webDir, 'dsfr'));
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Carnet</title><div id="root"></div>');
  await writeFile(path.join(webDir, 'assets', 'index-3f9a1c.js'), 'console.log("app")');
  await writeFile(path.join(webDir, 'dsfr', 'dsfr.min.css'), 'body{}');
  t = await startTestApp({ env: { CARNET_WEB_DIR: webDir } });
});
afterAll(async () => {
  await t.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('the web app', () => {
  it('is served at / and revalidated on every visit', async () => {
    const res = await t.app.inject({ url: '/', headers: page });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="root">');
  });

  it('caches fingerprinted assets for a year', async () => {
    const res = await t.app.inject({ url: '/assets/index-3f9a1c.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates files whose names do not change between releases', async () => {
    const res = await t.app.inject({ url: '/dsfr/dsfr.min.css' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toBeTruthy();
  });

  it("answers the app's own routes with the app, so a reload or a shared link works", async () => {
    const res = await t.app.inject({ url: '/documents', headers: page });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
  });

  it('keeps API errors as errors, even for a browser', async () => {
    const api = await t.app.inject({ url: '/api/unknown', headers: page });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    const missingAsset = await t.app.inject({ url: '/assets/gone-123.js' });
    expect(missingAsset.statusCode).toBe(404);
  });

  it('does not let a stranger frame or sniff its pages', async () => {
    const res = await t.app.inject({ url: '/', headers: page });
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
