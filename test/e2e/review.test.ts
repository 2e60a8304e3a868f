/**
 * The clinician's flow in a real browser against the real server and the sandbox EHR:
 * launch → review (policy, lines) → correct facts (codes change) → checklist → Write to EHR → read back;
 * no duplicates after a second click or a reload; Epic mode writes only the note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import {
  ROOT, decodeAttachmentText, fhirSearch, launchBrowser, launchFromSandbox, lineCodes, metricsOf, newContext, settledCodes,
  startApp, tickAllChecklist, tokenOf, waitForLines, writeAndWait, type RunningApp,
} from './helpers';

const SYSTEM = 'urn:pump-refill-coder:visit';
const byIdentifier = (type: string, patient: string, value: string) =>
  `${type}?patient=${encodeURIComponent(patient)}&identifier=${encodeURIComponent(`${SYSTEM}|${value}`)}`;

/** README screenshots (1024×768, what the frame shows without scrolling), on request only: SCREENSHOT=1 */
async function screenshot(page: import('playwright-core').Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOT) return;
  mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ROOT, 'docs', name), fullPage: false });
}

let app: RunningApp;
let browser: Browser;
beforeAll(async () => { app = await startApp(); browser = await launchBrowser(); }, 90_000);
afterAll(async () => { await browser?.close(); await app?.close(); });

describe('review and write-back (generic SMART sandbox)', () => {
  it('launches, shows the policy and lines, re-codes on corrections, writes once and reads back', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // the record is read in a dedicated worker (client/src/fhir/readOffThread.ts)
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    const clickToLines = await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    expect(workers.filter((w) => /^\/assets\/reads\.worker-[\w-]+\.js$/.test(w))).toHaveLength(1);

    const m = await metricsOf(page);
    console.log(`METRIC launch-to-suggestions-ms=${m.launchToSuggestionsMs}`);
    console.log(`METRIC navigation-to-suggestions-ms=${m.navigationToSuggestionsMs}`);
    console.log(`METRIC click-to-suggestions-ms=${clickToLines}`);
    console.log(`METRIC fhir-requests=${m.fhirRequests}`);
    expect(m.fhirRequests).toBeGreaterThan(9); // the worker's reads counted with the page's

    // no token material left in the URL; nothing in localStorage
    const url = new URL(page.url());
    expect(url.searchParams.has('code')).toBe(false);
    expect(url.searchParams.has('state')).toBe(false);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // the policy it resolved to and the suggested lines
    expect(await page.getAttribute('[data-testid="policy-name"]', 'data-policy-id')).toBe('uuhp');
    expect(await page.textContent('[data-testid="policy-lob"]')).toBe('commercial');
    expect(await page.getAttribute('[data-testid="policy-mapping"]', 'data-matched')).toBe('true');
    expect(await page.textContent('[data-testid="pump-kind"]')).toContain('programmable');
    const initial = await lineCodes(page);
    expect(initial).toContain('62370');

    // README screenshot, refreshed on request only so a test run leaves the work tree clean: SCREENSHOT=1 npm test
    await screenshot(page, 'review-screen.png');

    // the summary shows what will be billed and Write, on screen without scrolling in a 1024×768 frame
    for (const sel of ['[data-testid="summary-line"][data-code="62370"]', '[data-testid="write-button"]']) {
      const box = await page.locator(sel).boundingBox();
      expect(box && box.y + box.height).toBeLessThanOrEqual(768);
    }
    // sources are titled, never seed file names
    const sourceText = (await page.locator('[data-testid="citation-title"]').allTextContents()).join(' | ');
    expect(sourceText).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    expect(sourceText).toContain('U of U Health Plans');

    // physician skill not required → 62370 becomes 62369, announced in words and highlighted
    await page.uncheck('[data-testid="fact-physician-skill"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="line"]')].some((r) => r.getAttribute('data-code') === '62369'), null, { timeout: 15_000 });
    const noSkill = await settledCodes(page);
    expect(noSkill).toContain('62369');
    expect(noSkill).not.toContain('62370');
    expect(await page.textContent('[data-testid="announcer"]')).toContain('62370 → 62369');
    expect(await page.getAttribute('[data-testid="announcer"]', 'aria-live')).toBe('polite');
    expect(await page.locator('[data-testid="line"][data-code="62369"]').getAttribute('class')).toContain('changed');

    // the correction survives a reload (kept per launch in sessionStorage, PHI-free key; never in localStorage)
    await page.reload();
    await waitForLines(page);
    expect(await settledCodes(page)).toContain('62369');
    expect(await page.isChecked('[data-testid="fact-physician-skill"]')).toBe(false);
    const workKeys = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('prc-work:')));
    expect(workKeys).toHaveLength(1);
    expect(workKeys[0]).not.toContain('pt-uuhp-commercial');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // no dose change → the reprogramming code goes; back to a dose change → it returns
    await page.selectOption('[data-testid="fact-reprogramming"]', 'none');
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="line"]')].some((r) => r.getAttribute('data-code') === '62369'), null, { timeout: 15_000 });
    expect(await settledCodes(page)).not.toContain('62369');
    await page.selectOption('[data-testid="fact-reprogramming"]', 'rate-or-dose-change');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="line"]')].some((r) => r.getAttribute('data-code') === '62369'), null, { timeout: 15_000 });
    const finalCodes = await settledCodes(page);

    // checklist, plan, write
    const checklistIds = await tickAllChecklist(page);
    expect(checklistIds.length).toBeGreaterThan(0);
    const checklistTexts = await page.locator('[data-testid="checklist-item"] label').allTextContents();
    const plan = await page.textContent('[data-testid="write-plan"]');
    console.log(`write plan (generic): ${plan}`);
    expect(plan).toMatch(/^Will write: DocumentReference/);
    expect(plan).toContain('Claim draft');

    const first = await writeAndWait(page);
    expect(first.doc).not.toBe('');
    expect(first.claim).not.toBe('');
    // focus stays on the result, and the kept work is dropped once written
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('write-result');
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('prc-work:')).length)).toBe(0);

    // read back from the sandbox FHIR server
    const token = await tokenOf(page);
    expect(token.patient).toBe('pt-uuhp-commercial');
    const docs = await fhirSearch<{ id: string; subject?: { reference?: string }; content?: { attachment?: { data?: string } }[] }>(token, byIdentifier('DocumentReference', token.patient, `${first.visitKey}.1.doc`));
    const claims = await fhirSearch<{ id: string; patient?: { reference?: string }; item?: { productOrService?: { coding?: { code?: string }[] } }[]; supportingInfo?: { valueReference?: { reference?: string } }[] }>(token, byIdentifier('Claim', token.patient, `${first.visitKey}.1.claim`));
    expect(docs.map((d) => d.id)).toEqual([first.doc]);
    expect(claims.map((c) => c.id)).toEqual([first.claim]);
    expect(docs[0]?.subject?.reference).toBe('Patient/pt-uuhp-commercial');
    expect(claims[0]?.patient?.reference).toBe('Patient/pt-uuhp-commercial');
    const claimCodes = (claims[0]?.item ?? []).map((i) => i.productOrService?.coding?.[0]?.code);
    for (const c of finalCodes) expect(claimCodes).toContain(c);
    expect(claims[0]?.supportingInfo?.some((s) => s.valueReference?.reference === `DocumentReference/${first.doc}`)).toBe(true);
    const text = decodeAttachmentText(docs[0] ?? {});
    for (const t of checklistTexts) {
      const core = t.replace(/\s*\(required\)\s*$/, '').trim();
      expect(text).toContain(core.slice(0, 40));
    }

    // a second click: same ids, no copies
    const second = await writeAndWait(page);
    expect(second).toMatchObject({ doc: first.doc, claim: first.claim, visitKey: first.visitKey });

    // a reload (state from history.state), then write again: same ids, no copies
    await page.reload();
    await waitForLines(page);
    expect(await page.getAttribute('[data-testid="review"]', 'data-patient-id')).toBe('pt-uuhp-commercial');
    await tickAllChecklist(page);
    // the reload dropped the corrections, so this is a changed review: written as version 2 of the same visit, which
    // supersedes version 1 (issue #9: a changed draft is a new version; never a second current copy)
    const third = await writeAndWait(page);
    expect(third.visitKey).toBe(first.visitKey);
    expect(await fhirSearch(token, byIdentifier('DocumentReference', token.patient, `${first.visitKey}.1.doc`))).toHaveLength(1);
    expect(await fhirSearch(token, byIdentifier('Claim', token.patient, `${first.visitKey}.1.claim`))).toHaveLength(1);
    const notes = (await fhirSearch<{ id: string; status?: string; identifier?: { system?: string; value?: string }[] }>(token, `DocumentReference?patient=${token.patient}&_count=100`))
      .filter((d) => d.identifier?.some((i) => i.system === SYSTEM && i.value?.startsWith(`${first.visitKey}.`)));
    expect(notes.filter((d) => d.status === 'current').map((d) => d.id)).toEqual([third.doc]);
    await context.close();
  }, 120_000);
});

describe('codes the clinician types', () => {
  it('checks a typed code against the suggestion and says why it is not suggested (the physician who wants 62370)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-medicare-ca');
    expect(await settledCodes(page)).toContain('62369');
    const warningsAbout = (code: string) => page.locator('[data-testid="warning"]').evaluateAll(
      (els, c) => els.filter((e) => (e.textContent ?? '').includes(c)).map((e) => e.getAttribute('data-warning-id')), code);
    const before = await warningsAbout('62370');

    await page.fill('[data-testid="add-proposed-code"]', '6237');
    await page.click('[data-testid="add-proposed-code-button"]');
    expect(await page.textContent('[data-testid="add-proposed-code-error"]')).toContain('not a CPT or HCPCS code');

    // "Check" answers beside the input and changes nothing; only "Add" puts the code on the record's list
    await page.fill('[data-testid="add-proposed-code"]', '62370');
    await page.click('[data-testid="add-proposed-code-button"]');
    const answer = page.locator('[data-testid="check-code-answer"][data-code="62370"]');
    await answer.waitFor();
    expect(await answer.getAttribute('data-suggested')).toBe('false');
    expect((await page.locator('[data-testid="check-code-reason"]').allTextContents()).join(' ')).toContain('62370');
    expect(await page.locator('[data-testid="proposed-code"][data-code="62370"]').count()).toBe(0);
    expect(await warningsAbout('62370')).toEqual(before);
    await page.click('[data-testid="add-checked-code"]');
    await page.waitForSelector('[data-testid="proposed-code"][data-code="62370"]');
    expect(await settledCodes(page)).toContain('62369');   // a typed code never becomes a line by itself
    expect(await settledCodes(page)).not.toContain('62370');
    const after = await warningsAbout('62370');
    expect(after.length).toBeGreaterThan(before.length);

    await page.click('[data-testid="remove-proposed-62370"]');
    await page.waitForSelector('[data-testid="proposed-code"][data-code="62370"]', { state: 'detached' });
    await settledCodes(page);
    expect(await warningsAbout('62370')).toEqual(before);
    await context.close();
  });
});

describe('Epic mode', () => {
  it('writes only the DocumentReference and says the Claim stays in the worklist', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial', 'epic');
    expect(await page.locator('[data-testid="patient-banner"]').count()).toBe(0); // Epic shows its own banner
    await screenshot(page, 'review-epic.png');
    const plan = await page.textContent('[data-testid="write-plan"]');
    console.log(`write plan (epic): ${plan}`);
    expect(plan).toContain('this EHR does not accept Claim');
    expect(plan).toContain('billing worklist');
    await tickAllChecklist(page);
    const w = await writeAndWait(page);
    expect(w.doc).not.toBe('');
    expect(w.claim).toBe('');
    expect(w.text).toContain('billing worklist');
    const again = await writeAndWait(page);
    expect(again.doc).toBe(w.doc);
    const token = await tokenOf(page);
    const docs = await fhirSearch<{ id: string; docStatus?: string; content?: unknown[] }>(token, byIdentifier('DocumentReference', token.patient, `${w.visitKey}.1.doc`));
    expect(docs.map((d) => d.id)).toEqual([w.doc]);
    expect(docs[0]?.docStatus).toBe('preliminary');
    await context.close();
  }, 90_000);
});

describe('Oracle Health mode', () => {
  it('writes only the DocumentReference, authored by the signed-in user alone', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-medicare-ca', 'oracle');
    await screenshot(page, 'review-oracle.png');
    const plan = await page.textContent('[data-testid="write-plan"]');
    expect(plan).toContain('this EHR does not accept Claim');
    await tickAllChecklist(page);
    const w = await writeAndWait(page);
    expect(w.doc).not.toBe('');
    expect(w.claim).toBe('');
    const token = await tokenOf(page);
    const docs = await fhirSearch<{ id: string; author?: { reference?: string }[]; date?: string }>(token, byIdentifier('DocumentReference', token.patient, `${w.visitKey}.1.doc`));
    expect(docs.map((d) => d.id)).toEqual([w.doc]);
    expect(docs[0]?.author).toHaveLength(1);
    expect(docs[0]?.author?.[0]?.reference).toMatch(/^Practitioner\//);
    expect(docs[0]?.date).toMatch(/T\d\d:/);
    await context.close();
  }, 90_000);
});

describe('honest gaps', () => {
  it('no Device on record: a problem at the top, lines marked provisional and Write off until the pump type is confirmed', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // the EHR answers the Device search with nothing (a patient whose implant was never recorded)
    await page.route(/\/sandbox\/fhir\/Device\?/, (route) => route.fulfill({ contentType: 'application/fhir+json', body: JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }) }));
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    const problem = page.locator('[data-testid="warning"][data-warning-id="no-device"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-severity')).toBe('error');
    expect(await page.locator('[data-testid="warning"]').first().getAttribute('data-warning-id')).toBe('no-device'); // errors first
    expect(await page.isDisabled('[data-testid="write-button"]')).toBe(true);
    await page.selectOption('[data-testid="confirm-device-kind"]', 'implanted-programmable-pump');
    await page.click('[data-testid="confirm-device-button"]');
    await problem.waitFor({ state: 'detached' });
    await settledCodes(page);
    expect(await page.isDisabled('[data-testid="write-button"]')).toBe(false);
    await context.close();
  }, 60_000);

  it('an unreadable Coverage (500) is said as such, not as "no coverage", and Retry reads the record again', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    let failing = true;
    await page.route(/\/sandbox\/fhir\/Coverage\?/, (route) => (failing
      ? route.fulfill({ status: 500, contentType: 'application/fhir+json', body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'database down' }] }) })
      : route.continue()));
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    const problem = page.locator('[data-testid="read-notice"][data-warning-id="coverage-unreadable"][data-part="Coverage"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('could not be read');
    expect(await page.locator('[data-testid="warning"][data-warning-id="no-coverage"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="coverage-payer"]')).toContain('could not be read');
    failing = false;
    await page.click('[data-testid="problem-action-coverage-unreadable"]');
    await problem.waitFor({ state: 'detached', timeout: 15_000 });
    await settledCodes(page);
    expect(await page.getAttribute('[data-testid="policy-name"]', 'data-policy-id')).toBe('uuhp');
    await context.close();
  }, 60_000);

  it('a failed first evaluation is a problem with Retry, not a dead end', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    let failing = true;
    await page.route('**/api/evaluate', (route) => (failing
      ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'try later' } }) })
      : route.continue()));
    await page.goto(`${app.url}/sandbox/launch?patient=pt-uuhp-commercial&mode=generic`);
    const problem = page.locator('[data-testid="warning"][data-warning-id="evaluation-failed"]');
    await problem.waitFor({ timeout: 30_000 });
    failing = false;
    await page.click('[data-testid="problem-action-evaluation-failed"]');
    await waitForLines(page);
    expect(await lineCodes(page)).toContain('62370');
    expect(await problem.count()).toBe(0);
    await context.close();
  }, 60_000);

  it('takes the EHR\'s look from smart_style_url (validated CSS variables)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await launchFromSandbox(page, app.url, 'pt-uuhp-commercial');
    await page.waitForFunction(() => document.documentElement.getAttribute('data-ehr-style') === 'applied', null, { timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--accent'))).toBe('#0b5cad');
    await context.close();
  });
});
