/**
 * The app inside EHR frames in Debian's Chromium with default settings. Framed same-site (the EHR on another
 * localhost port) it launches, reviews and writes inside the frame. Framed cross-site (the EHR on 127.0.0.1, the app
 * on localhost) Chromium refuses the frame sessionStorage, which the OAuth round trip needs across its redirects:
 * the launch page says so and opens the app in its own top-level window, where the same launch completes and
 * writes. An EHR origin that is not allowed to embed the app gets a readable page naming the origin to add.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser, newContext } from './helpers';
import { startTestServer } from '../../server/testing.js';
import { CLINICIAN_SCOPES } from '../../launch/profiles.js';

let app: { url: string; close(): Promise<void> };
let browser: Browser;
/** EHR chart pages: on localhost (same site as the app, another port), on 127.0.0.1 (another site), and one not allowed */
let sameSiteEhr: string;
let crossSiteEhr: string;
let otherEhr: string;
const servers: Server[] = [];

/** A real HTTP server on 127.0.0.1 serving a chart page that frames `?src=` (a loopback page, as an EHR would). */
async function ehrServer(host: 'localhost' | '127.0.0.1'): Promise<string> {
  const s = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html lang="en"><title>EHR</title><main><h1>EHR chart</h1><iframe id="app" title="Pump Refill Coder" width="1000" height="700" src="${src.replace(/"/g, '&quot;')}"></iframe></main></html>`);
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, host === 'localhost' ? undefined : host, resolve));
  return `http://${host}:${(s.address() as { port: number }).port}`;
}

beforeAll(async () => {
  sameSiteEhr = await ehrServer('localhost');
  crossSiteEhr = await ehrServer('127.0.0.1');
  otherEhr = await ehrServer('127.0.0.1');
  // A profile whose issuer is on the allowed EHR's origin is how a deployment lets that EHR embed the app
  // (its origin joins CSP frame-ancestors and connect-src).
  const dir = mkdtempSync(path.join(tmpdir(), 'prc-frame-'));
  const file = path.join(dir, 'profiles.json');
  writeFileSync(file, JSON.stringify({ profiles: [sameSiteEhr, crossSiteEhr].map((origin, i) => ({
    id: `framing-ehr-${i}`, name: `A framing EHR ${i}`, vendor: 'generic', issuers: [`${origin}/fhir`],
    clientId: 'pump-refill-coder', scopes: CLINICIAN_SCOPES, adminSignIn: false,
  })) }));
  app = await startTestServer({ EHR_PROFILES: file, SANDBOX: 'on' });
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  for (const s of servers) s.close();
});

/** The EHR's chart page on `ehrOrigin` framing the app's launch URL (iss + launch) for `patient`, as an EHR does. */
async function ehrPage(page: Page, ehrOrigin: string, patient: string): Promise<Frame> {
  // the sandbox's launch link answers with a redirect to the app's launch URL; the chart frames that URL itself
  const res = await fetch(`${app.url}/sandbox/launch?patient=${patient}&mode=generic`, { redirect: 'manual' });
  const launchUrl = new URL(res.headers.get('location') ?? '', app.url).href;
  expect(launchUrl).toContain('/launch.html?iss=');
  await page.goto(`${ehrOrigin}/chart?src=${encodeURIComponent(launchUrl)}`);
  const handle = await page.waitForSelector('#app');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no frame');
  return frame;
}

describe('EHR frames', () => {
  it('framed same-site (EHR on another localhost port): launches, reviews and writes inside the frame', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const frame = await ehrPage(page, sameSiteEhr, 'pt-uuhp-commercial');
    await frame.waitForSelector('[data-testid="lines"][data-state="ready"]', { timeout: 30_000 });
    expect(await frame.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe('pt-uuhp-commercial');
    expect(new URL(frame.url()).origin).toBe(app.url);
    const boxes = frame.locator('[data-testid="checklist-item"] input[type="checkbox"]');
    for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
    await frame.click('[data-testid="write-button"]');
    await frame.waitForSelector('[data-testid="write-result"]', { timeout: 30_000 });
    expect(await frame.getAttribute('[data-testid="write-result"]', 'data-document-reference-id')).not.toBe('');
    await context.close();
  }, 90_000);

  it('framed cross-site (EHR on 127.0.0.1, app on localhost; default settings): the frame is refused storage, so the launch completes in the app\'s own window', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const frame = await ehrPage(page, crossSiteEhr, 'pt-healthyu-medicaid');
    // Chromium refuses sessionStorage to this third-party frame ("Access is denied"): nothing is sent to the EHR yet
    expect(await frame.evaluate(() => { try { sessionStorage.getItem('x'); return 'usable'; } catch (e) { return (e as Error).name; } })).toBe('SecurityError');
    await frame.waitForSelector('[data-testid="launch-open-window"]', { timeout: 30_000 });
    expect(await frame.textContent('[data-testid="launch-error"]')).toContain('blocks site storage');
    const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('[data-testid="launch-open-window"]')]);
    await popup.waitForSelector('[data-testid="lines"][data-state="ready"]', { timeout: 30_000 });
    expect(await popup.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe('pt-healthyu-medicaid');
    expect(await frame.textContent('[data-testid="launch-window-status"]')).toContain('new window');
    const boxes = popup.locator('[data-testid="checklist-item"] input[type="checkbox"]');
    for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
    await popup.click('[data-testid="write-button"]');
    await popup.waitForSelector('[data-testid="write-result"]', { timeout: 30_000 });
    await context.close();
  }, 90_000);

  it('an EHR origin not allowed to embed the app gets a readable page naming the origin to add', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const frame = await ehrPage(page, otherEhr, 'pt-uuhp-commercial');
    await frame.waitForSelector('[data-testid="frame-refused"]', { timeout: 30_000 });
    expect(await frame.textContent('[data-testid="frame-refused-origin"]')).toContain(otherEhr);
    expect(await frame.textContent('[data-testid="frame-refused"]')).toContain('FRAME_ANCESTORS');
    await context.close();
  }, 60_000);
});
