/**
 * Write after the sign-in expired, in a real browser against the real server and the sandbox EHR (issue #11 item 6):
 * the browser's fhirclient renews with the sandbox's refresh token (rotated, a new id_token the server verifies) and
 * the refused call is retried once. The refusals are injected by the browser (Playwright routes) because the
 * sandbox's tokens live an hour: the app server's 401 to /api/drafts, the EHR's 401 to the Claim POST, and a token
 * endpoint that refuses the refresh. Tokens are compared, never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import {
  fhirSearch, launchBrowser, launchFromSandbox, newContext, startApp, tickAllChecklist, tokenOf, writeAndWait, type RunningApp,
} from './helpers';

const SYSTEM = 'urn:pump-refill-coder:visit';
const byIdentifier = (type: string, patient: string, value: string) =>
  `${type}?patient=${encodeURIComponent(patient)}&identifier=${encodeURIComponent(`${SYSTEM}|${value}`)}`;

let app: RunningApp;
let browser: Browser;
beforeAll(async () => { app = await startApp(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

const isRefresh = (r: Request) => r.method() === 'POST' && /\/auth\/token$/.test(new URL(r.url()).pathname) && /grant_type=refresh_token/.test(r.postData() ?? '');
const unauthorized = { status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthorized', message: 'The id_token has expired' } }) };

/** every refresh grant the page sends, and the bearer of every /api/drafts call */
function watch(page: Page) {
  const seen = { refreshes: 0, draftsBearers: [] as string[] };
  page.on('request', (r) => {
    if (isRefresh(r)) seen.refreshes++;
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/drafts') seen.draftsBearers.push(r.headers().authorization ?? '');
  });
  return seen;
}

describe('Write renews an expired sign-in with the refresh token', () => {
  it('the app server answers /api/drafts 401 once: renewed, retried with the new id_token, written once', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    const seen = watch(page);
    let refused = 0;
    await page.route('**/api/drafts', (route) => (refused++ === 0 ? route.fulfill(unauthorized) : route.continue()));
    await tickAllChecklist(page);
    const w = await writeAndWait(page);
    expect(seen.refreshes).toBe(1);
    expect(seen.draftsBearers).toHaveLength(2);
    expect(seen.draftsBearers[1]).not.toBe(seen.draftsBearers[0]);
    const token = await tokenOf(page);
    const docs = await fhirSearch<{ id: string }>(token, byIdentifier('DocumentReference', token.patient, `${w.visitKey}.1.doc`));
    expect(docs.map((d) => d.id)).toEqual([w.doc]);
    if (w.claim) {
      const claims = await fhirSearch<{ id: string }>(token, `Claim?patient=${encodeURIComponent(token.patient)}`);
      expect(claims.map((c) => c.id)).toEqual([w.claim]);
    }
    await context.close();
  }, 90_000);

  it('the EHR answers the Claim POST 401: renewed, and the retry goes through the idempotent path — one Claim', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-medicare-ca');
    const plan = await page.getAttribute('[data-testid="write-plan"]', 'data-claim-to-ehr');
    expect(plan).toBe('true');
    const seen = watch(page);
    const claimPosts: string[] = [];
    let refused = 0;
    await page.route((url) => url.pathname.endsWith('/Claim'), (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      claimPosts.push(route.request().headers()['if-none-exist'] ? 'conditional' : 'plain');
      return refused++ === 0 ? route.fulfill({ status: 401, body: '' }) : route.continue();
    });
    await tickAllChecklist(page);
    const w = await writeAndWait(page);
    expect(seen.refreshes).toBe(1);
    expect(claimPosts).toHaveLength(2);
    expect(w.claim).not.toBe('');
    const token = await tokenOf(page);
    const claims = await fhirSearch<{ id: string }>(token, `Claim?patient=${encodeURIComponent(token.patient)}`);
    expect(claims.map((c) => c.id)).toEqual([w.claim]);
    await context.close();
  }, 90_000);

  it('the EHR refuses the refresh: the relaunch words say the work is kept, and relaunching in this tab brings the ticks back', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-centene-ga');
    const seen = watch(page);
    await page.route('**/api/drafts', (route) => route.fulfill(unauthorized));
    await page.route('**/auth/token', (route) => (isRefresh(route.request())
      ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token expired' }) })
      : route.continue()));
    const ticked = await tickAllChecklist(page);
    expect(ticked.length).toBeGreaterThan(0);
    await page.click('[data-testid="write-button"]');
    const error = page.locator('[data-testid="write-error"]');
    await error.waitFor({ timeout: 30_000 });
    const words = (await error.textContent()) ?? '';
    expect(words).toContain('the EHR refused to renew it');
    expect(words).toContain('Relaunch Pump Refill Coder');
    expect(words).toContain('kept in this tab');
    expect(seen.refreshes).toBe(1);
    expect(seen.draftsBearers).toHaveLength(1);
    await page.unrouteAll();
    // the relaunch (a new launch, a new state key) for the same visit in the same tab
    await launchFromSandbox(page, app.url, 'pt-centene-ga');
    const boxes = page.locator('[data-testid="checklist-item"] input[type="checkbox"]');
    expect(await boxes.count()).toBe(ticked.length);
    for (let i = 0; i < ticked.length; i++) expect(await boxes.nth(i).isChecked()).toBe(true);
    await context.close();
  }, 90_000);
});
