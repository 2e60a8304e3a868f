/**
 * EHR fault handling in Chromium against the real server (security.md D1/D2/D3/D4): the sandbox FHIR server answers
 * 500, 429, 403 or never answers for one resource type each → the review still renders, with a notice naming what
 * is missing; a DocumentReference the EHR refuses (422 + OperationOutcome) → the error in words, and a retry writes
 * exactly one of each resource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { fhirSearch, launchBrowser, launchFromSandbox, newContext, tickAllChecklist, tokenOf, waitForLines } from '../e2e/helpers';
import { startTestServer } from '../../server/testing';
import type { RunningServer } from '../../server/http/app';
import { assertBuilt } from './util';

let app: RunningServer;
let browser: Browser;
beforeAll(async () => { assertBuilt(); app = await startTestServer(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

const outcome = (text: string) => JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: text }] });

describe('EHR faults during the reads', () => {
  it('500, 429, 403 and a hang each leave a named notice; the review still renders', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const faults: Record<string, (r: Route) => Promise<void> | void> = {
      Coverage: (r) => r.fulfill({ status: 500, contentType: 'application/fhir+json', body: outcome('boom') }),
      Device: (r) => r.fulfill({ status: 429, headers: { 'retry-after': '1' }, contentType: 'application/fhir+json', body: outcome('slow down') }),
      Condition: (r) => r.fulfill({ status: 403, contentType: 'application/fhir+json', body: outcome('denied by patient') }),
      MedicationAdministration: () => { /* never answers: the app's 15 s timeout must fire */ },
    };
    const hits: Record<string, number> = {};
    await page.route((u) => /\/sandbox\/fhir\/(Coverage|Device|Condition|MedicationAdministration)$/.test(u.pathname), (route) => {
      const type = /\/([A-Za-z]+)$/.exec(new URL(route.request().url()).pathname)![1]!;
      hits[type] = (hits[type] ?? 0) + 1;
      return faults[type]!(route);
    });
    const started = Date.now();
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    const ms = Date.now() - started;

    const notices = await page.locator('[data-testid="read-notice"]').evaluateAll((els) => els.map((e) => ({
      part: e.getAttribute('data-part'), kind: e.getAttribute('data-kind'), text: e.textContent ?? '',
    })));
    const byPart = Object.fromEntries(notices.map((n) => [n.part, n]));
    expect(byPart.Coverage).toMatchObject({ kind: 'failed' });
    expect(byPart.Coverage!.text).toContain('insurance coverage');
    expect(byPart.Coverage!.text).toContain('500');
    expect(byPart.Device).toMatchObject({ kind: 'failed' });
    expect(byPart.Device!.text).toContain('implanted pump');
    expect(byPart.Device!.text).toContain('429');
    expect(byPart.Condition).toMatchObject({ kind: 'forbidden' });
    expect(byPart.Condition!.text).toContain('diagnoses');
    expect(byPart.MedicationAdministration).toMatchObject({ kind: 'timeout' });
    expect(byPart.MedicationAdministration!.text).toContain('drugs given');
    // the review rendered: lines, checklist and the write panel are there
    expect(await page.locator('[data-testid="review"]').count()).toBe(1);
    expect(await page.locator('[data-testid="write-panel"]').count()).toBe(1);
    expect(await page.locator('[data-testid="checklist"]').count()).toBe(1);
    // reads are retried a bounded number of times (429/5xx: at most 3 attempts; a timeout or a 403 never)
    console.log(`METRIC fault-reads=${JSON.stringify(hits)} notices=${notices.length} click-to-review-ms=${ms}`);
    for (const t of Object.keys(faults)) expect(hits[t], t).toBeLessThanOrEqual(3);
    await context.close();
  }, 45_000);
});

describe('EHR refuses the write-back', () => {
  it('a 422 on the DocumentReference is shown in words; the retry writes exactly one of each', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-medicare-ca');
    await tickAllChecklist(page);
    const token = await tokenOf(page);
    const countDocs = async () => (await fhirSearch(token, `DocumentReference?patient=${token.patient}`)).length;
    const countClaims = async () => (await fhirSearch(token, `Claim?patient=${token.patient}`)).length;
    const docsBefore = await countDocs();
    const claimsBefore = await countClaims();

    let refused = 0;
    const docRefUrl = (u: URL) => /\/sandbox\/fhir\/DocumentReference$/.test(u.pathname);
    await page.route(docRefUrl, (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refused++;
      return route.fulfill({ status: 422, contentType: 'application/fhir+json', body: outcome('DocumentReference.type: code not in the value set') });
    });
    const panel = page.locator('[data-testid="write-panel"]');
    await page.click('[data-testid="write-button"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="write-panel"]')?.getAttribute('data-status') === 'error', null, { timeout: 20_000 });
    const error = (await page.textContent('[data-testid="write-error"]')) ?? '';
    expect(error).toContain('rejected');
    expect(error).toContain('422');
    expect(error).toContain('code not in the value set');
    expect(refused).toBe(1);
    expect(await countDocs()).toBe(docsBefore);

    // the EHR accepts again: the retry (right away, same screen) writes one DocumentReference and reuses the Claim
    await page.unroute(docRefUrl);
    const attempt = Number(await panel.getAttribute('data-attempt'));
    await page.click('[data-testid="write-button"]');
    await page.waitForFunction((prev) => Number(document.querySelector('[data-testid="write-panel"]')?.getAttribute('data-attempt')) > prev, attempt, { timeout: 20_000 });
    const status = await panel.getAttribute('data-status');
    const retryText = status === 'error' ? await page.textContent('[data-testid="write-error"]') : '';
    expect(status, retryText ?? '').toBe('done');
    // and once more: nothing new
    await page.click('[data-testid="write-button"]');
    await page.waitForFunction((prev) => Number(document.querySelector('[data-testid="write-panel"]')?.getAttribute('data-attempt')) > prev + 1, attempt, { timeout: 20_000 });
    expect(await panel.getAttribute('data-status')).toBe('done');
    const docs = (await countDocs()) - docsBefore;
    const claims = (await countClaims()) - claimsBefore;
    console.log(`METRIC writeback-422: documentReferences-written=${docs} claims-written=${claims}`);
    expect(docs).toBe(1);
    expect(claims).toBe(1);
    await waitForLines(page);
    await context.close();
  }, 45_000);
});
