/**
 * Hostile record content (security.md B1/B3): markup planted in the sandbox EHR through its FHIR API (a Condition,
 * Procedure notes, the pump's name, a DocumentReference) never executes, in the review screen or on the sandbox
 * home page, and the normal flow raises no CSP violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, launchFromSandbox, newContext } from '../e2e/helpers';
import { startTestServer } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { assertBuilt, cspViolations, fhir, recordCsp, writerToken } from './util';

const PATIENT = 'pt-medicare-ca';
const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '"><svg onload="window.__xss=(window.__xss||0)+1">',
  'javascript:window.__xss=1',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
];
const all = PAYLOADS.join(' ');

let app: RunningServer;
let browser: Browser;
let planted = 0;
beforeAll(async () => {
  assertBuilt();
  app = await startTestServer();
  browser = await launchBrowser();
  const t = await writerToken(app.url, PATIENT);
  const subject = { reference: `Patient/${PATIENT}`, display: PAYLOADS[2] };
  await fhir(t, 'POST', 'Condition', {
    resourceType: 'Condition', subject, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text: PAYLOADS[0], coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G89.4', display: PAYLOADS[1] }] },
    note: [{ text: all }],
  });
  planted++;
  const procs = await fhir<{ entry?: { resource: Record<string, unknown> }[] }>(t, 'GET', `Procedure?patient=${PATIENT}`);
  for (const { resource } of procs.entry ?? []) {
    await fhir(t, 'PUT', `Procedure/${String(resource.id)}`, { ...resource, note: [{ text: PAYLOADS[1] }, { text: PAYLOADS[0] }] });
    planted++;
  }
  const devices = await fhir<{ entry?: { resource: Record<string, unknown> }[] }>(t, 'GET', `Device?patient=${PATIENT}`);
  for (const { resource } of devices.entry ?? []) {
    await fhir(t, 'PUT', `Device/${String(resource.id)}`, { ...resource, deviceName: [{ name: PAYLOADS[0], type: 'user-friendly-name' }], note: [{ text: all }] });
    planted++;
  }
  await fhir(t, 'POST', 'DocumentReference', {
    resourceType: 'DocumentReference', status: 'current', subject, type: { text: PAYLOADS[0] },
    author: [{ display: PAYLOADS[1] }], date: new Date().toISOString(),
    content: [{ attachment: { contentType: 'text/plain', title: PAYLOADS[2], data: Buffer.from(all).toString('base64') } },
      { attachment: { contentType: 'text/html', title: PAYLOADS[0], data: Buffer.from(all).toString('base64') } }],
  });
  planted++;
}, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

const xssOf = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: number }).__xss);

describe('hostile record content', () => {
  it('does not execute in the review screen or the sandbox home page; no CSP violation in the normal flow', async () => {
    expect(planted).toBeGreaterThanOrEqual(4);
    const context = await newContext(browser);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await recordCsp(page);
    await launchFromSandbox(page, app.url, PATIENT);
    await page.waitForTimeout(300);
    expect(await xssOf(page)).toBeUndefined();
    const reviewViolations = await cspViolations(page);
    const reviewText = await page.evaluate(() => document.body.innerText);
    const shownInReview = PAYLOADS.filter((p) => reviewText.includes(p)).length;
    expect(await page.locator('[data-testid="review"] img, [data-testid="review"] svg[onload], [data-testid="review"] iframe').count()).toBe(0);

    await page.goto(`${app.url}/sandbox/`);
    await page.waitForTimeout(300);
    expect(await xssOf(page)).toBeUndefined();
    const homeText = await page.evaluate(() => document.body.innerText);
    expect(homeText).toContain(PAYLOADS[1]); // shown as text, not run
    const homeViolations = await cspViolations(page);
    console.log(`METRIC xss-payloads=${PAYLOADS.length} planted-resources=${planted} render-sites=2 executions=0 payloads-shown-as-text-in-review=${shownInReview} csp-violations=${reviewViolations.length + homeViolations.length}`);
    expect(reviewViolations).toEqual([]);
    expect(homeViolations).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  }, 45_000);
});
