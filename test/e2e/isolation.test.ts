/**
 * Launch safety in a real browser: an unknown issuer or a launch-URL override gets a clear page and no
 * navigation away; two patients launched in two tabs (and in two frames sharing one sessionStorage) never mix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, lineCodes, newContext, startApp, tokenOf, waitForLines, writeAndWait, tickAllChecklist, fhirSearch, type RunningApp } from './helpers';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => { app = await startApp(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

function foreignRequests(page: Page, origin: string): string[] {
  const seen: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) seen.push(r.url()); });
  return seen;
}

describe('launch page', () => {
  it('shows a clear page for an unknown issuer and goes nowhere', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const foreign = foreignRequests(page, app.url);
    const launchUrl = `${app.url}/launch.html?iss=https://evil.example/fhir&launch=x`;
    await page.goto(launchUrl);
    await page.waitForSelector('[data-testid="launch-error"]');
    expect(await page.textContent('[data-testid="launch-error"]'))
      .toBe('This EHR (https://evil.example/fhir) is not configured for Pump Refill Coder. Ask your administrator to add it.');
    await page.waitForTimeout(500);
    expect(page.url()).toBe(launchUrl);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('refuses launch-URL overrides (fhirServiceUrl, clientId, patientId) even with a configured issuer', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const foreign = foreignRequests(page, app.url);
    const iss = `${app.url}/sandbox/fhir`;
    for (const extra of ['fhirServiceUrl=https://evil.example/fhir', 'clientId=attacker', 'patientId=someone-else']) {
      const launchUrl = `${app.url}/launch.html?iss=${encodeURIComponent(iss)}&launch=x&${extra}`;
      await page.goto(launchUrl);
      await page.waitForSelector('[data-testid="launch-error"]');
      expect(await page.textContent('[data-testid="launch-error"]')).toContain('only the EHR configuration may set');
      await page.waitForTimeout(200);
      expect(page.url()).toBe(launchUrl);
    }
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('refuses a tampered discovery document before going to the sign-in, reading it once and leaving no state', async () => {
    const iss = `${app.url}/sandbox/fhir`;
    const tampered = [
      { change: { token_endpoint: 'http://evil.example/token' }, says: 'token_endpoint is not on https' },
      { change: { code_challenge_methods_supported: ['plain'] }, says: 'PKCE' },
    ];
    for (const { change, says } of tampered) {
      const context = await newContext(browser);
      const page = await context.newPage();
      const foreign = foreignRequests(page, app.url);
      let discoveryReads = 0;
      await page.route('**/.well-known/smart-configuration', async (route) => {
        discoveryReads++;
        const res = await route.fetch();
        await route.fulfill({ response: res, json: { ...(await res.json()), ...change } });
      });
      const launchUrl = `${app.url}/launch.html?iss=${encodeURIComponent(iss)}&launch=x`;
      await page.goto(launchUrl);
      await page.waitForSelector('[data-testid="launch-error"]');
      expect(await page.textContent('[data-testid="launch-error"]')).toContain(says);
      await page.waitForTimeout(300);
      expect(page.url()).toBe(launchUrl);
      expect(foreign).toEqual([]);
      expect(discoveryReads).toBe(1);
      // fhirclient's saved state (with the PKCE verifier) is removed with the refused launch
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      await context.close();
    }
  });

  it('opening the app without a launch says to relaunch from the EHR', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.waitForSelector('[data-testid="app-error"]');
    expect(await page.textContent('[data-testid="app-error"]')).toContain('Relaunch');
    await context.close();
  });
});

describe('two launches side by side', () => {
  const A = 'pt-uuhp-commercial';
  const B = 'pt-healthyu-medicaid';

  it('two tabs show and write their own patient', async () => {
    const context = await newContext(browser);
    const [pa, pb] = [await context.newPage(), await context.newPage()];
    await Promise.all([pa.goto(`${app.url}/sandbox/launch?patient=${A}&mode=generic`), pb.goto(`${app.url}/sandbox/launch?patient=${B}&mode=generic`)]);
    await Promise.all([waitForLines(pa), waitForLines(pb)]);
    expect(await pa.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe(A);
    expect(await pb.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe(B);
    expect(await lineCodes(pa)).toContain('62370');
    expect(await lineCodes(pb)).toContain('62369');
    expect(await lineCodes(pb)).not.toContain('62370');

    // one tab at a time is in front (a background tab gets no animation frames, which clicks wait for)
    await pa.bringToFront();
    await tickAllChecklist(pa);
    const wa = await writeAndWait(pa);
    await pb.bringToFront();
    await tickAllChecklist(pb);
    const wb = await writeAndWait(pb);
    expect(wa.visitKey).not.toBe(wb.visitKey);
    const [ta, tb] = [await tokenOf(pa), await tokenOf(pb)];
    expect(ta.patient).toBe(A);
    expect(tb.patient).toBe(B);
    const docA = await fhirSearch<{ subject?: { reference?: string } }>(ta, `DocumentReference?_id=${wa.doc}`);
    const docB = await fhirSearch<{ subject?: { reference?: string } }>(tb, `DocumentReference?_id=${wb.doc}`);
    expect(docA[0]?.subject?.reference).toBe(`Patient/${A}`);
    expect(docB[0]?.subject?.reference).toBe(`Patient/${B}`);

    // a reload of tab A stays on patient A
    await pa.bringToFront();
    await pa.reload();
    await waitForLines(pa);
    expect(await pa.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe(A);
    await context.close();
  }, 120_000);

  it('two frames of one page (one shared sessionStorage) keep their own patient', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // A stand-in EHR page on the EHR's origin (the sandbox's own pages forbid framing): two app frames side by side.
    await page.route(`${app.url}/test-ehr-frames`, (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>EHR</title>${[['fa', A], ['fb', B]].map(([id, p]) => `<iframe id="${id}" width="1024" height="700" src="/sandbox/launch?patient=${p}&mode=generic"></iframe>`).join('')}`,
    }));
    await page.goto(`${app.url}/test-ehr-frames`);
    const frame = async (id: string) => {
      const handle = await page.waitForSelector(`#${id}`);
      const f = await handle.contentFrame();
      if (!f) throw new Error('no frame');
      await f.waitForSelector('[data-testid="lines"][data-state="ready"]', { timeout: 30_000 });
      return f;
    };
    const [fa, fb] = await Promise.all([frame('fa'), frame('fb')]);
    expect(await fa.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe(A);
    expect(await fb.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe(B);
    const codesA = await fa.locator('[data-testid="line"]').evaluateAll((r) => r.map((x) => x.getAttribute('data-code')));
    const codesB = await fb.locator('[data-testid="line"]').evaluateAll((r) => r.map((x) => x.getAttribute('data-code')));
    expect(codesA).toContain('62370');
    expect(codesB).not.toContain('62370');
    await context.close();
  }, 120_000);
});
